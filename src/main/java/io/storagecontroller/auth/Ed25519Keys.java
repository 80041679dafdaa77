package io.storagecontroller.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in PEM, as {@code openssl genpkey -algorithm ed25519} writes them: the private key
 * as PKCS#8 ({@code BEGIN PRIVATE KEY}), the public key as SubjectPublicKeyInfo ({@code BEGIN
 * PUBLIC KEY}). Only the JDK's own Ed25519 support is used.
 */
public final class Ed25519Keys {
  public static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_KEY_FILE = "auth_private_key.pem";
  public static final String PUBLIC_KEY_FILE = "auth_public_key.pem";

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Ed25519Keys() {}

  /** A key that could not be read; its message never contains key material. */
  public static final class InvalidKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidKeyException(String message) {
      super(message);
    }
  }

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /**
   * The public key given as PEM text, or as the path of a PEM file (the value of {@code
   * --public-key} or {@code PUBLIC_KEY}).
   */
  public static PublicKey publicKey(String pemOrPath) {
    return parsePublicKey(pemText(pemOrPath, "public key"));
  }

  /** The PEM text itself: the value when it is PEM, else the contents of the file it names. */
  public static String pemText(String pemOrPath, String what) {
    if (pemOrPath == null || pemOrPath.isBlank()) {
      throw new InvalidKeyException("no " + what + " given");
    }
    if (pemOrPath.contains("-----BEGIN")) {
      return pemOrPath;
    }
    Path path;
    try {
      path = Path.of(pemOrPath.strip());
    } catch (InvalidPathException e) {
      throw new InvalidKeyException(what + " is neither PEM text nor a file path");
    }
    if (!Files.isRegularFile(path)) {
      // Name the path only when it looks like one: the value may be key material in another form.
      boolean pathLike = pemOrPath.length() <= 200 && pemOrPath.contains("/");
      throw new InvalidKeyException(
          what + " is neither PEM text nor a readable file" + (pathLike ? ": " + path : ""));
    }
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InvalidKeyException("cannot read " + what + " file " + path + ": " + e);
    }
  }

  public static PublicKey parsePublicKey(String pem) {
    byte[] der = der(pem, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the public key is not an Ed25519 key (SPKI PEM)");
    }
  }

  public static PrivateKey parsePrivateKey(String pem) {
    byte[] der = der(pem, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the private key is not an Ed25519 key (PKCS#8 PEM)");
    }
  }

  public static PrivateKey readPrivateKey(Path file) {
    try {
      return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read private key " + file, e);
    }
  }

  public static String publicPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  public static String privatePem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] der(String pem, String label) {
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        try {
          return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          break;
        }
      }
    }
    throw new InvalidKeyException("expected a PEM block '-----BEGIN " + label + "-----'");
  }

  /**
   * Writes a new pair as PEM files in {@code dir} (the private one readable by its owner only);
   * refuses to overwrite an existing key.
   */
  public static void writeKeyPair(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (Files.exists(privateFile) || Files.exists(publicFile)) {
      throw new FileAlreadyExistsException(privateFile + " or " + publicFile);
    }
    KeyPair pair = generate();
    Files.createFile(privateFile);
    try {
      Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file keeps the directory's permissions.
    }
    Files.writeString(
        privateFile,
        privatePem(pair.getPrivate()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
    Files.writeString(
        publicFile,
        publicPem(pair.getPublic()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW);
  }
}
