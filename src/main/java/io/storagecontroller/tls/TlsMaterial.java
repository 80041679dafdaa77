package io.storagecontroller.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.springframework.boot.ssl.pem.PemContent;

/**
 * PEM files made into what Java's TLS needs: the roots an HTTPS client trusts ({@code
 * --ssl-ca-file} beside the JDK's own, as Neon adds its CA file to the system roots), and a
 * server's certificate and key. A file that cannot be used is an {@link InvalidTlsFileException}
 * naming it, so that start-up can refuse it in one line.
 */
public final class TlsMaterial {
  private TlsMaterial() {}

  /** A PEM file that is missing, unreadable or holds nothing usable. */
  public static final class InvalidTlsFileException extends RuntimeException {
    InvalidTlsFileException(Path file, String why) {
      super(file + ": " + why);
    }
  }

  /** The certificates of a PEM file: at least one. */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certificates;
    try {
      certificates = load(file).getCertificates();
    } catch (IllegalStateException e) {
      throw new InvalidTlsFileException(file, "no PEM certificate in it: " + e.getMessage());
    }
    if (certificates == null || certificates.isEmpty()) {
      throw new InvalidTlsFileException(file, "no PEM certificate in it");
    }
    return certificates;
  }

  /** The private key of a PEM file. */
  public static PrivateKey privateKey(Path file) {
    PrivateKey key;
    try {
      key = load(file).getPrivateKey();
    } catch (IllegalStateException e) {
      throw new InvalidTlsFileException(file, "unreadable private key: " + e.getMessage());
    }
    if (key == null) {
      throw new InvalidTlsFileException(file, "no PEM private key in it");
    }
    return key;
  }

  /**
   * A client context trusting the JDK's roots and those in {@code caFile}; with no file, the JDK's
   * default context.
   */
  public static SSLContext clientContext(Path caFile) {
    try {
      if (caFile == null) {
        return SSLContext.getDefault();
      }
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(caFile)) {
        extra.setCertificateEntry("ca-" + i++, ca);
      }
      X509TrustManager trust = new EitherTrustManager(trustManager(null), trustManager(extra));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for outgoing calls: " + e.getMessage(), e);
    }
  }

  /** A server context presenting the certificate chain in {@code certFile} with its key. */
  public static SSLContext serverContext(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidTlsFileException(certFile, "cannot serve with it: " + e.getMessage());
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static PemContent load(Path file) {
    try {
      return PemContent.load(file);
    } catch (IOException e) {
      throw new InvalidTlsFileException(file, "cannot read it: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new InvalidTlsFileException(file, "not PEM: " + e.getMessage());
    }
  }
}
