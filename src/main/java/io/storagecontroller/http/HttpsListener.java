package io.storagecontroller.http;

import io.storagecontroller.config.ControllerProperties;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * {@code --listen-https}: the same API over HTTPS on a second Tomcat connector, beside {@code
 * --listen}'s plain HTTP, with the PEM certificate chain and key of {@code --ssl-cert-file} and
 * {@code --ssl-key-file} (checked at start-up, so a bad file refuses to start rather than failing
 * the first handshake).
 */
@Component
public class HttpsListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
  private static final Logger log = LoggerFactory.getLogger(HttpsListener.class);

  private final ControllerProperties properties;

  public HttpsListener(ControllerProperties properties) {
    this.properties = properties;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    String listen = properties.listenHttps();
    if (listen == null || listen.isBlank()) {
      return;
    }
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon).replaceAll("^\\[|]$", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    Path cert = properties.sslCertFile();
    Path key = properties.sslKeyFile();

    Connector https = new Connector(Http11NioProtocol.class.getName());
    https.setScheme("https");
    https.setSecure(true);
    https.setPort(port);
    https.setProperty("address", host);
    Http11NioProtocol protocol = (Http11NioProtocol) https.getProtocolHandler();
    protocol.setSSLEnabled(true);
    SSLHostConfig ssl = new SSLHostConfig();
    SSLHostConfigCertificate certificate =
        new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setCertificateFile(cert.toAbsolutePath().toString());
    certificate.setCertificateKeyFile(key.toAbsolutePath().toString());
    ssl.addCertificate(certificate);
    protocol.addSslHostConfig(ssl);
    factory.addAdditionalConnectors(https);
    log.info("serving HTTPS on {} with the certificate {}", listen, cert);
  }
}
