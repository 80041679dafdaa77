package io.storagecontroller.temporal;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import io.temporal.spring.boot.autoconfigure.template.WorkerFactoryOptionsTemplate;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-process Temporal service of the embedded defaults. It lives inside this JVM (no port is
 * opened, so nothing beyond this process can reach it) and runs on the real clock: the SDK's test
 * service skips time by default, which would fire every timer and retry backoff at once.
 *
 * <p>This stands in for the Temporal starter's {@code TestServerAutoConfiguration} (excluded in
 * {@code StorageControllerApplication}), whose bean is there or not by a condition. The controller
 * starts from a context generated ahead of time at build time, where conditions are settled once,
 * with the embedded defaults; here the choice is made when the controller starts instead. With
 * {@code --temporal-target} the bean is null, and the starter connects to that target as usual.
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedTemporalConfig {
  /**
   * The name the starter's service-stub and namespace templates look the in-process service up by.
   */
  static final String BEAN = "temporalTestWorkflowEnvironmentAdapter";

  @Bean(name = BEAN, destroyMethod = "close")
  EmbeddedTemporal embeddedTemporal(
      TemporalProperties properties,
      @Qualifier("temporalMetricsScope") ObjectProvider<Scope> metricsScope) {
    if (properties.getTestServer() == null
        || !Boolean.TRUE.equals(properties.getTestServer().getEnabled())) {
      return null;
    }
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder()
            .setUseTimeskipping(false)
            .setWorkerFactoryOptions(
                new WorkerFactoryOptionsTemplate(properties, List.of(), null, List.of(), List.of())
                    .createWorkerFactoryOptions())
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder().setNamespace(properties.getNamespace()).build());
    metricsScope.ifAvailable(options::setMetricsScope);
    return new EmbeddedTemporal(TestWorkflowEnvironment.newInstance(options.build()));
  }
}
