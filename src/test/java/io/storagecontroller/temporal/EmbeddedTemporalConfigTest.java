package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The in-process service is decided when the controller starts (the generated context has the bean
 * either way): none with a Temporal target, so the starter connects to that target.
 */
class EmbeddedTemporalConfigTest {
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(TemporalProperties.class)
  static class Properties {}

  final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withUserConfiguration(Properties.class, EmbeddedTemporalConfig.class)
          .withPropertyValues("spring.temporal.namespace=default");

  @Test
  void noInProcessServiceWithATemporalTarget() {
    context
        .withPropertyValues(
            "spring.temporal.test-server.enabled=false",
            "spring.temporal.connection.target=temporal:7233")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBeanProvider(EmbeddedTemporal.class).getIfAvailable()).isNull();
            });
  }

  @Test
  void anInProcessServiceOnEmbeddedDefaults() {
    context
        .withPropertyValues("spring.temporal.test-server.enabled=true")
        .run(
            ctx -> {
              EmbeddedTemporal temporal = ctx.getBeanProvider(EmbeddedTemporal.class).getObject();
              assertThat(temporal.getWorkflowClient().getOptions().getNamespace())
                  .isEqualTo("default");
            });
  }
}
