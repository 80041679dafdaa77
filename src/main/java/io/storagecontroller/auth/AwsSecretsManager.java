package io.storagecontroller.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Secrets from AWS Secrets Manager ({@code GetSecretValue}, the secret's {@code SecretString}),
 * over the JDK's HTTP client. {@code --secrets-manager} names a region (e.g. {@code us-east-2}) or
 * an endpoint URL (then the region is {@code AWS_REGION}, else {@code us-east-1}).
 */
public final class AwsSecretsManager implements Secrets.Source, AutoCloseable {
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]+");

  private final SecretsManagerClient client;

  private AwsSecretsManager(SecretsManagerClient client) {
    this.client = client;
  }

  /** A secret that could not be read for another reason than its absence. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message);
    }
  }

  /**
   * A client for the region or endpoint URL given to {@code --secrets-manager}.
   *
   * @param credentials the AWS credentials (the default chain in production, static ones in tests)
   */
  public static AwsSecretsManager connect(
      String regionOrEndpoint, AwsCredentialsProvider credentials) {
    String target = regionOrEndpoint.strip();
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder()
            .credentialsProvider(credentials)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(20)))
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(60)));
    if (target.startsWith("http://") || target.startsWith("https://")) {
      String region = System.getenv("AWS_REGION");
      builder
          .endpointOverride(URI.create(target))
          .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region));
    } else if (REGION.matcher(target).matches()) {
      builder.region(Region.of(target));
    } else {
      throw new IllegalArgumentException(
          "expected an AWS region (e.g. us-east-2) or an endpoint URL (http[s]://...)");
    }
    return new AwsSecretsManager(builder.build());
  }

  @Override
  public Optional<String> read(String secretId) {
    try {
      return Optional.ofNullable(client.getSecretValue(b -> b.secretId(secretId)).secretString());
    } catch (ResourceNotFoundException absent) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new UnavailableException(
          "cannot read secret " + secretId + " from AWS Secrets Manager: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
