package io.storagecontroller.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Set;

/**
 * Verifies {@code alg: EdDSA} signatures with the JDK's {@code Signature("Ed25519")}. Nimbus' own
 * {@code Ed25519Verifier} needs Google Tink, whose protobuf conflicts with Temporal's; this one
 * needs nothing beyond the JDK.
 */
final class Ed25519JwsVerifier implements JWSVerifier {
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA);

  private final PublicKey key;
  private final JCAContext jca = new JCAContext();

  Ed25519JwsVerifier(PublicKey key) {
    if (!Ed25519Keys.ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm());
    }
    this.key = key;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
      throws JOSEException {
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return false;
    }
    // No critical header parameter is understood here, so a token that has one is refused.
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(Ed25519Keys.ALGORITHM);
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (SignatureException malformed) {
      return false;
    } catch (InvalidKeyException e) {
      throw new JOSEException("unusable Ed25519 public key", e);
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 is not available in this JDK", e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }

  /** Makes an {@link Ed25519JwsVerifier} for the key the key selector picked. */
  static final class Factory implements JWSVerifierFactory {
    private final JCAContext jca = new JCAContext();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      if (!ALGORITHMS.contains(header.getAlgorithm()) || !(key instanceof PublicKey publicKey)) {
        throw new JOSEException("only EdDSA (Ed25519) tokens are accepted");
      }
      return new Ed25519JwsVerifier(publicKey);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
