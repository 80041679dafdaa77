package io.storagecontroller.tools.storcon;

import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/**
 * An operation's progress as one line, {@code drain node/3 [######......] 12/24 50% moving}: on a
 * terminal redrawn in place, elsewhere printed again only when it changes (so a log shows each step
 * once).
 */
public final class ProgressBar {
  private static final int MIN_BAR = 10;
  private static final int MAX_BAR = 40;

  private final PrintWriter out;
  private final Terminal terminal;
  private String drawn;

  public ProgressBar(PrintWriter out, Terminal terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows the operation's current progress. */
  public void draw(JsonNode operation) {
    // On a terminal one column short, so the cursor never wraps to the next line.
    int width = terminal.interactive() ? terminal.width() - 1 : terminal.width();
    String line = line(operation, width);
    if (line.equals(drawn)) {
      return;
    }
    if (terminal.interactive()) {
      // Pad over the previous line's tail.
      out.print("\r" + pad(line, width));
    } else {
      out.println(line);
    }
    drawn = line;
    out.flush();
  }

  /** Draws the final state and ends the line. */
  public void finish(JsonNode operation) {
    draw(operation);
    if (terminal.interactive()) {
      out.println();
    }
    out.flush();
  }

  /** The progress line of an operation, at most {@code width} columns when it can be. */
  static String line(JsonNode operation, int width) {
    long done = operation.path("progress_done").asLong(0);
    long total = operation.path("progress_total").asLong(0);
    String state = operation.path("state").asString("running");
    String phase = operation.path("phase").isString() ? operation.get("phase").asString() : "";
    String what =
        operation.path("kind").asString("?") + " " + operation.path("target").asString("");
    StringBuilder tail = new StringBuilder().append(done).append('/').append(total);
    if (total > 0) {
      tail.append(' ').append(100 * Math.min(done, total) / total).append('%');
    }
    if (!state.equals("running")) {
      tail.append(' ').append(state);
    } else if (!phase.isEmpty()) {
      tail.append(' ').append(phase);
    }
    int barWidth = Math.max(MIN_BAR, Math.min(MAX_BAR, width - what.length() - tail.length() - 4));
    return what + " [" + bar(done, total, state, barWidth) + "] " + tail;
  }

  private static String bar(long done, long total, String state, int width) {
    int filled;
    if (total > 0) {
      filled = (int) (width * Math.min(done, total) / total);
    } else {
      // Nothing to count: an empty bar while running, a full one once it succeeded.
      filled = state.equals("succeeded") ? width : 0;
    }
    return "#".repeat(filled) + ".".repeat(width - filled);
  }

  private static String pad(String line, int width) {
    return line.length() >= width ? line : line + " ".repeat(width - line.length());
  }
}
