package io.storagecontroller.tools.storcon;

import java.util.Map;

/**
 * Where progress is drawn: its width in columns, and whether it is a terminal (then the progress
 * line is redrawn in place with a carriage return) or a log (then a line per change).
 */
public record Terminal(int width, boolean interactive) {
  static final int DEFAULT_WIDTH = 80;

  /**
   * This process's terminal: interactive when the JVM has a console; the width from {@code COLUMNS}
   * (bin/storcon exports it from {@code tput cols}).
   */
  public static Terminal detect(Map<String, String> env) {
    int width = DEFAULT_WIDTH;
    try {
      width = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
    } catch (NumberFormatException unset) {
      // Keep the default.
    }
    return new Terminal(Math.max(width, 20), System.console() != null);
  }
}
