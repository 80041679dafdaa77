package io.storagecontroller.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The controller process's memory: its heap's live set (used heap right after a full GC) and its
 * resident set size (from {@code /proc}; empty off Linux).
 */
final class ProcessMemory {
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private ProcessMemory() {}

  /**
   * The resident set size once it stops falling, within {@code within}: after a collection G1 gives
   * the heap it shrank back to the system on a thread of its own (JDK 17 uncommits concurrently),
   * so the RSS read right after is still the peak's. Read every half second until it has not fallen
   * by more than 1% for two seconds.
   */
  static OptionalLong settledResidentBytes(long pid, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    OptionalLong last = residentBytes(pid);
    long steadySince = System.nanoTime();
    while (last.isPresent() && System.nanoTime() < deadline) {
      Bench.pause(Duration.ofMillis(500));
      OptionalLong now = residentBytes(pid);
      if (now.isEmpty()) {
        return last;
      }
      if (now.getAsLong() < last.getAsLong() * 0.99) {
        steadySince = System.nanoTime();
      } else if (System.nanoTime() - steadySince >= 2_000_000_000L) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /**
   * Through the controller's JMX port (loopback only, opened by the benchmark): a full GC, then the
   * heap in use.
   */
  static OptionalLong liveHeapBytes(int jmxPort) {
    try (JMXConnector connector = JMXConnectorFactory.connect(url(jmxPort))) {
      MemoryMXBean memory =
          ManagementFactory.newPlatformMXBeanProxy(
              connector.getMBeanServerConnection(),
              ManagementFactory.MEMORY_MXBEAN_NAME,
              MemoryMXBean.class);
      memory.gc();
      return OptionalLong.of(memory.getHeapMemoryUsage().getUsed());
    } catch (IOException e) {
      System.out.println("bench: no heap figure, JMX failed: " + e.getMessage());
      return OptionalLong.empty();
    }
  }

  /**
   * The heap the controller's own last collection left (each heap pool's usage after its last GC),
   * without forcing one: a sample taken while latencies are measured must not stop the process it
   * measures. An upper bound of the live set (old regions not yet collected count). Empty when JMX
   * fails.
   */
  static OptionalLong heapAfterLastCollection(int jmxPort) {
    try (JMXConnector connector = JMXConnectorFactory.connect(url(jmxPort))) {
      long used = 0;
      for (MemoryPoolMXBean pool :
          ManagementFactory.getPlatformMXBeans(
              connector.getMBeanServerConnection(), MemoryPoolMXBean.class)) {
        MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
        if (afterGc != null) {
          used += afterGc.getUsed();
        }
      }
      return OptionalLong.of(used);
    } catch (IOException e) {
      System.out.println("bench: no heap figure, JMX failed: " + e.getMessage());
      return OptionalLong.empty();
    }
  }

  /**
   * The live objects by class (the JVM's {@code GC.class_histogram}: a full GC first), through the
   * same JMX port: where the heap per shard goes. Empty when JMX fails.
   */
  static Optional<String> classHistogram(int jmxPort) {
    try (JMXConnector connector = JMXConnectorFactory.connect(url(jmxPort))) {
      Object histogram =
          connector
              .getMBeanServerConnection()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()});
      return Optional.of(String.valueOf(histogram));
    } catch (IOException | JMException e) {
      System.out.println("bench: no class histogram, JMX failed: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static JMXServiceURL url(int jmxPort) {
    try {
      return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
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
}
