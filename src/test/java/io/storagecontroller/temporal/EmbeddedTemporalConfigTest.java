package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.tally.Scope;
import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The in-process service is decided when the controller starts (the generated context has the bean
 * either way): none with a Temporal target, so the starter connects to that target.
 */
class EmbeddedTemporalConfigTest {
  static TemporalProperties properties(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("spring.temporal", TemporalProperties.class);
  }

  EmbeddedTemporal embeddedTemporal(Map<String, String> settings) {
    return new EmbeddedTemporalConfig()
        .embeddedTemporal(
            properties(settings), new StaticListableBeanFactory().getBeanProvider(Scope.class));
  }

  @Test
  void noInProcessServiceWithATemporalTarget() {
    assertThat(
            embeddedTemporal(
                Map.of(
                    "spring.temporal.test-server.enabled", "false",
                    "spring.temporal.connection.target", "temporal:7233")))
        .isNull();
    assertThat(embeddedTemporal(Map.of("spring.temporal.connection.target", "temporal:7233")))
        .isNull();
  }

  @Test
  void anInProcessServiceOnEmbeddedDefaults() {
    try (EmbeddedTemporal temporal =
        embeddedTemporal(
            Map.of(
                "spring.temporal.test-server.enabled", "true",
                "spring.temporal.namespace", "default"))) {
      assertThat(temporal).isNotNull();
      assertThat(temporal.getWorkflowClient().getOptions().getNamespace()).isEqualTo("default");
    }
  }
}
