package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The simulated servers turn Nagle's algorithm off: the JDK's server reads the option when its
 * first server starts, so it must be set by then (how much it saves is the benchmark's to say:
 * about 44 ms per answer with a body, on every pageserver call of every phase).
 */
class NoDelayServersTest {
  @Test
  void aServerIsCreatedWithTheNoDelayOptionSet() throws Exception {
    String before = System.getProperty(NoDelayServers.PROPERTY);
    System.clearProperty(NoDelayServers.PROPERTY);
    HttpServer server =
        NoDelayServers.http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    try {
      assertThat(System.getProperty(NoDelayServers.PROPERTY)).isEqualTo("true");
    } finally {
      server.stop(0);
      if (before != null) {
        System.setProperty(NoDelayServers.PROPERTY, before);
      }
    }
  }
}
