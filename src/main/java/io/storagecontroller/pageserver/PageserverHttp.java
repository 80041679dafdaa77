package io.storagecontroller.pageserver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The controller's HTTP/1.1 connections to the fleet's pageservers: Apache HttpClient's classic
 * client, whose calls run on the calling thread. The JDK's client handed each call between the
 * caller, its selector thread and an executor: on two cores it spent about 280 µs of CPU per call
 * against 50 here, and its threads were a sixth of the controller's CPU under the benchmark's load.
 *
 * <p>Nothing is retried, redirected or decompressed here: {@link PageserverClient} decides about
 * retries per call. A connection idle for a second is checked before it is reused, so a pageserver
 * that restarted meanwhile costs a new connection, not a failed call.
 */
public final class PageserverHttp implements AutoCloseable {
  /** As many connections to one pageserver as callers want at once (the JDK's had no bound). */
  private static final int CONNECTIONS_PER_NODE = 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final ContentType JSON = ContentType.create("application/json");

  private final CloseableHttpClient client;

  /** A pageserver's answer: status, body (empty when none) and content type. */
  public record Answer(int status, String body, String contentType) {}

  /** With the TLS of {@code --ssl-ca-file} for https pageservers (host names verified). */
  public PageserverHttp(SSLContext tls) {
    client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                    // Each node's connections have a lock of their own (the JDK's one pool lock
                    // had hundreds of request threads queued on it).
                    .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                    .setMaxConnPerRoute(CONNECTIONS_PER_NODE)
                    .setMaxConnTotal(Integer.MAX_VALUE)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                            .build())
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
  }

  /** Plain TLS settings: the JDK's roots (tests). */
  public static PageserverHttp withDefaultTls() {
    try {
      return new PageserverHttp(SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS", e);
    }
  }

  /**
   * One request; {@code json} null sends no body. {@code timeout} bounds the wait for each part of
   * the answer (the pageserver sends nothing until it has one).
   */
  public Answer exchange(
      String method, String url, String json, String bearerToken, Duration timeout)
      throws IOException {
    HttpUriRequestBase request = new HttpUriRequestBase(method, URI.create(url));
    Timeout wait = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
    request.setConfig(
        RequestConfig.custom().setResponseTimeout(wait).setConnectionRequestTimeout(wait).build());
    if (json != null) {
      request.setEntity(new StringEntity(json, JSON));
    }
    if (bearerToken != null) {
      request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken);
    }
    return client.execute(
        request,
        response -> {
          Header type = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
          String body =
              response.getEntity() == null
                  ? ""
                  : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
          return new Answer(
              response.getCode(), body, type == null ? "application/json" : type.getValue());
        });
  }

  @Override
  public void close() {
    client.close(CloseMode.IMMEDIATE);
  }
}
