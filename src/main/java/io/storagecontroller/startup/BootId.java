package io.storagecontroller.startup;

import java.util.UUID;
import org.springframework.stereotype.Component;

/** Identifies this process's life, so work started by an earlier process is recognised as such. */
@Component
public class BootId {
  private final String value = UUID.randomUUID().toString();

  public String value() {
    return value;
  }
}
