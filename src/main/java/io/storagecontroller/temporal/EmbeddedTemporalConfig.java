package io.storagecontroller.temporal;

import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.testing.TestEnvironmentOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-process Temporal service of the embedded defaults. It lives inside this JVM (no port is
 * opened, so nothing beyond this process can reach it) and runs on the real clock: the SDK's test
 * service skips time by default, which would fire every timer and retry backoff at once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.temporal.test-server.enabled", havingValue = "true")
public class EmbeddedTemporalConfig {
  @Bean
  TemporalOptionsCustomizer<TestEnvironmentOptions.Builder> realClock() {
    return builder -> builder.setUseTimeskipping(false);
  }
}
