package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the progress bar draws, on a terminal and in a log. */
class ProgressBarTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static JsonNode operation(long done, long total, String state, String phase) {
    return JSON.readTree(
        """
        {"id":7,"kind":"drain","target":"node/3","workflow_id":"node/3/drain","state":"%s",
         "phase":%s,"progress_done":%d,"progress_total":%d,"error":null,
         "started_at":"2026-01-01T00:00:00Z","finished_at":null}"""
            .formatted(state, phase == null ? "null" : "\"" + phase + "\"", done, total));
  }

  @Test
  void theBarIsFilledInProportionAndFitsTheWidth() {
    String half = ProgressBar.line(operation(12, 24, "running", "moving"), 60);
    assertThat(half).startsWith("drain node/3 [").endsWith("] 12/24 50% moving");
    String bar = half.substring(half.indexOf('[') + 1, half.indexOf(']'));
    assertThat(bar.chars().filter(c -> c == '#').count())
        .isEqualTo(bar.chars().filter(c -> c == '.').count());
    assertThat(half).hasSizeLessThanOrEqualTo(60);
    assertThat(ProgressBar.line(operation(24, 24, "succeeded", null), 60))
        .contains("[" + "#".repeat(60 - "drain node/3 [] 24/24 100% succeeded".length()) + "]")
        .endsWith("24/24 100% succeeded")
        .hasSize(60);
  }

  @Test
  void aNarrowTerminalStillGetsAReadableBar() {
    String line = ProgressBar.line(operation(1, 4, "running", null), 20);
    assertThat(line).contains("[##" + ".".repeat(8) + "]", "1/4 25%");
  }

  @Test
  void nothingToCountIsAnEmptyBarUntilItSucceeds() {
    assertThat(ProgressBar.line(operation(0, 0, "running", null), 50))
        .contains("[....")
        .endsWith("0/0");
    assertThat(ProgressBar.line(operation(0, 0, "succeeded", null), 50))
        .contains("##]")
        .endsWith("0/0 succeeded");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), new Terminal(50, true));
    bar.draw(operation(0, 4, "running", null));
    bar.draw(operation(2, 4, "running", null));
    bar.draw(operation(2, 4, "running", null));
    bar.finish(operation(4, 4, "succeeded", null));
    String drawn = text.toString();
    // Three distinct frames, each starting with a carriage return, then one newline at the end.
    assertThat(drawn).startsWith("\r").endsWith("\n");
    String[] frames = drawn.substring(1, drawn.length() - 1).split("\r");
    assertThat(frames).hasSize(3);
    for (String frame : frames) {
      // Padded over the previous frame, one column short of the width so it never wraps.
      assertThat(frame).hasSize(49);
    }
    assertThat(frames[1].stripTrailing()).endsWith("2/4 50%");
    assertThat(frames[2].stripTrailing()).endsWith("4/4 100% succeeded");
  }

  @Test
  void inALogEachChangeIsOneLine() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), new Terminal(50, false));
    bar.draw(operation(0, 4, "running", null));
    bar.draw(operation(0, 4, "running", null));
    bar.draw(operation(3, 4, "running", "moving"));
    bar.finish(operation(4, 4, "succeeded", null));
    assertThat(text.toString().lines())
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).doesNotContain("\r"))
        .last()
        .asString()
        .endsWith("4/4 100% succeeded");
  }
}
