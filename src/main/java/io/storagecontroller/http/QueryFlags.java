package io.storagecontroller.http;

import io.storagecontroller.model.Refusal;

/**
 * Boolean query parameters as Neon's handlers (serde) read them: {@code true}, {@code false} or
 * absent. Spring's own conversion would also take {@code 0}, {@code on} or {@code yes}, which Neon
 * refuses with 400.
 */
public final class QueryFlags {
  private QueryFlags() {}

  /** The flag's value, {@code absent} when not given; 400 naming it for anything else. */
  public static Boolean parse(String name, String text, Boolean absent) {
    if (text == null) {
      return absent;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw Refusal.badRequest(
              "invalid query parameter " + name + ": '" + text + "' (true or false)");
    };
  }
}
