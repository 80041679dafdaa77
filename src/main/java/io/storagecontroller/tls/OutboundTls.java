package io.storagecontroller.tls;

import io.storagecontroller.config.ControllerProperties;
import java.net.http.HttpClient;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The TLS of the controller's outgoing HTTPS calls (pageservers, the control plane's compute hook,
 * a leader asked to step down): the JDK's roots plus those of {@code --ssl-ca-file}, with host
 * names verified.
 */
@Component
public class OutboundTls {
  private static final Logger log = LoggerFactory.getLogger(OutboundTls.class);

  private final SSLContext context;

  public OutboundTls(ControllerProperties properties) {
    Path caFile = properties.sslCaFile();
    this.context = TlsMaterial.clientContext(caFile);
    if (caFile != null) {
      log.info("HTTPS calls trust the JDK's roots and those in {}", caFile);
    }
  }

  public SSLContext context() {
    return context;
  }

  /** A client builder with this TLS. */
  public HttpClient.Builder httpClient() {
    return HttpClient.newBuilder().sslContext(context);
  }
}
