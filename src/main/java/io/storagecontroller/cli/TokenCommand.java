package io.storagecontroller.cli;

import io.storagecontroller.auth.Ed25519Keys;
import io.storagecontroller.auth.JwtTokens;
import io.storagecontroller.auth.Scope;
import io.storagecontroller.model.TenantId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code storage_controller token}: prints a signed EdDSA token for operators and tests, or with
 * {@code --generate-key DIR} writes a new Ed25519 key pair ({@code auth_private_key.pem}, PKCS#8,
 * and {@code auth_public_key.pem}, SPKI, as neon_local names them).
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints a JWT signed with an Ed25519 private key (PKCS#8 PEM), e.g.",
      "  storage_controller token --scope admin --key auth_private_key.pem",
      "or writes a new key pair: storage_controller token --generate-key DIR"
    })
public final class TokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scope",
      paramLabel = "SCOPE",
      converter = ScopeConverter.class,
      completionCandidates = ScopeNames.class,
      description = "The token's scope: ${COMPLETION-CANDIDATES}.")
  Scope scope;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "The Ed25519 private key file (PKCS#8 PEM).")
  Path key;

  @Option(
      names = "--tenant-id",
      paramLabel = "ID",
      description = "Limit the token to one tenant (32 hex digits).")
  String tenantId;

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      converter = HumanDurationConverter.class,
      description = "Lifetime, e.g. 1h or 30days (default: no expiry, as Neon's tokens).")
  Duration expiresIn;

  @Option(
      names = "--generate-key",
      paramLabel = "DIR",
      description =
          "Write a new key pair into DIR: "
              + Ed25519Keys.PRIVATE_KEY_FILE
              + " (private, mode 600) and "
              + Ed25519Keys.PUBLIC_KEY_FILE
              + " (give it to --public-key).")
  Path generateKey;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (generateKey != null) {
      if (scope != null || key != null || tenantId != null || expiresIn != null) {
        throw usage("--generate-key takes no other option");
      }
      try {
        Ed25519Keys.writeKeyPair(generateKey);
      } catch (FileAlreadyExistsException e) {
        throw usage(
            "Invalid value for option '--generate-key': a key already exists in " + generateKey);
      }
      out.println(generateKey.resolve(Ed25519Keys.PUBLIC_KEY_FILE));
      out.flush();
      return CommandLine.ExitCode.OK;
    }
    if (scope == null || key == null) {
      throw usage("Missing required options: --scope and --key (or --generate-key DIR)");
    }
    if (tenantId != null) {
      try {
        tenantId = TenantId.parse(tenantId).toString();
      } catch (IllegalArgumentException e) {
        throw usage("Invalid value for option '--tenant-id': " + e.getMessage());
      }
    }
    if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
      throw usage("Invalid value for option '--expires-in': must be positive");
    }
    PrivateKey privateKey;
    try {
      privateKey = Ed25519Keys.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII));
    } catch (IOException | Ed25519Keys.InvalidKeyException e) {
      throw usage("Invalid value for option '--key': " + describe(e));
    }
    Instant expires = expiresIn == null ? null : clock.instant().plus(expiresIn);
    out.println(JwtTokens.mint(privateKey, scope, tenantId, expires));
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private static String describe(Exception e) {
    return e instanceof IOException ? "cannot read " + e.getMessage() : e.getMessage();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Reads a scope by its claim spelling ({@code admin}, {@code generations_api}, ...). */
  static final class ScopeConverter implements ITypeConverter<Scope> {
    @Override
    public Scope convert(String value) {
      return Scope.fromJson(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'" + value + "' is not a scope; one of " + new ScopeNames()));
    }
  }

  /** The scope names, for --help and error messages. */
  static final class ScopeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Scope.values()).map(Scope::json).iterator();
    }

    @Override
    public String toString() {
      return String.join(", ", this);
    }
  }
}
