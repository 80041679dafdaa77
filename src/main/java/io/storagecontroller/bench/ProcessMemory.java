package io.storagecontroller.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller process's memory: its heap's live set (used heap right after a full GC, through
 * {@code jcmd}) and its resident set size (from {@code /proc}). Empty where the JDK tool or the
 * Linux file is missing.
 */
final class ProcessMemory {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private ProcessMemory() {}

  static OptionalLong liveHeapBytes(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return OptionalLong.empty();
    }
    run(jcmd.toString(), Long.toString(pid), "GC.run");
    Matcher used = USED.matcher(run(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
    return used.find()
        ? OptionalLong.of(Long.parseLong(used.group(1)) * 1024)
        : OptionalLong.empty();
  }

  static OptionalLong residentBytes(long pid) {
    try {
      Matcher rss = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
      return rss.find()
          ? OptionalLong.of(Long.parseLong(rss.group(1)) * 1024)
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
