package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The JDK's HTTP server with {@code TCP_NODELAY} on its connections. It writes a response's headers
 * and its body in two writes; with Nagle's algorithm on, the body waits until the client
 * acknowledges the headers, and clients delay that acknowledgement (40 ms on Linux): every answer
 * with a body took some 44 ms, a delay a pageserver's own server does not have. The option is read
 * once per JVM, when the first such server is created, so it is set before each creation here (and
 * in the tests' JVMs, whose own servers may come first).
 */
public final class NoDelayServers {
  static final String PROPERTY = "sun.net.httpserver.nodelay";

  private NoDelayServers() {}

  public static HttpServer http(InetSocketAddress address) throws IOException {
    System.setProperty(PROPERTY, "true");
    return HttpServer.create(address, 0);
  }

  public static HttpsServer https(InetSocketAddress address) throws IOException {
    System.setProperty(PROPERTY, "true");
    return HttpsServer.create(address, 0);
  }
}
