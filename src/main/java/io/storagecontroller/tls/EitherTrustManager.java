package io.storagecontroller.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server that either of two trust managers trusts: the JDK's roots, or the extra roots of
 * {@code --ssl-ca-file}. A server neither trusts is refused with the first one's reason.
 */
final class EitherTrustManager implements X509TrustManager {
  private final X509TrustManager first;
  private final X509TrustManager second;

  EitherTrustManager(X509TrustManager first, X509TrustManager second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      first.checkServerTrusted(chain, authType);
    } catch (CertificateException untrusted) {
      try {
        second.checkServerTrusted(chain, authType);
      } catch (CertificateException alsoUntrusted) {
        untrusted.addSuppressed(alsoUntrusted);
        throw untrusted;
      }
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this controller does not authenticate clients by certificate");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return Stream.concat(
            Arrays.stream(first.getAcceptedIssuers()), Arrays.stream(second.getAcceptedIssuers()))
        .toArray(X509Certificate[]::new);
  }
}
