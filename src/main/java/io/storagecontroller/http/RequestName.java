package io.storagecontroller.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The route's request name, the {@code path} label of the HTTP metrics (Neon's names, e.g. {@code
 * control_v1_node}). Routes without one are not measured, as in Neon.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequestName {
  String value();
}
