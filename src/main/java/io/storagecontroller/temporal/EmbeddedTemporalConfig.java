package io.storagecontroller.temporal;

import com.uber.m3.tally.Scope;
import io.opentracing.Tracer;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.interceptors.ScheduleClientInterceptor;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.internal.testservice.InProcessService;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import io.temporal.spring.boot.autoconfigure.template.WorkerFactoryOptionsTemplate;
import io.temporal.spring.boot.autoconfigure.template.WorkflowClientOptionsTemplate;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
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
 * Otherwise the service's client and workers get what the starter would give them: the interceptors
 * (the failpoints' among them), data converter, tracer and option customizers declared as beans.
 * Temporal plugins are not passed on; this application declares none.
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
      @Qualifier("temporalMetricsScope") ObjectProvider<Scope> metricsScope,
      @Qualifier("mainDataConverter") ObjectProvider<DataConverter> mainDataConverter,
      ObjectProvider<DataConverter> dataConverters,
      ObjectProvider<Tracer> tracer,
      ObjectProvider<WorkflowClientInterceptor> clientInterceptors,
      ObjectProvider<ScheduleClientInterceptor> scheduleInterceptors,
      ObjectProvider<WorkerInterceptor> workerInterceptors,
      ObjectProvider<TemporalOptionsCustomizer<TestEnvironmentOptions.Builder>> environment,
      ObjectProvider<TemporalOptionsCustomizer<WorkerFactoryOptions.Builder>> workerFactory,
      ObjectProvider<TemporalOptionsCustomizer<WorkflowClientOptions.Builder>> client,
      ObjectProvider<TemporalOptionsCustomizer<ScheduleClientOptions.Builder>> schedule) {
    if (properties.getTestServer() == null
        || !Boolean.TRUE.equals(properties.getTestServer().getEnabled())) {
      return null;
    }
    Tracer openTracing = tracer.getIfAvailable();
    // The service is built here rather than by the environment, which would reach it through one
    // in-process channel (see InProcessService); the environment takes it as an external one.
    InProcessService service = new InProcessService();
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder()
            .setUseExternalService(true)
            .setWorkflowServiceStubsOptions(
                WorkflowServiceStubsOptions.newBuilder().setChannel(service.channel()).build())
            .setWorkflowClientOptions(
                new WorkflowClientOptionsTemplate(
                        properties.getNamespace(),
                        mainDataConverter.getIfAvailable(dataConverters::getIfUnique),
                        clientInterceptors.orderedStream().toList(),
                        scheduleInterceptors.orderedStream().toList(),
                        openTracing,
                        client.orderedStream().toList(),
                        schedule.orderedStream().toList(),
                        List.of(),
                        List.of())
                    .createWorkflowClientOptions())
            .setWorkerFactoryOptions(
                new WorkerFactoryOptionsTemplate(
                        properties,
                        workerInterceptors.orderedStream().toList(),
                        openTracing,
                        workerFactory.orderedStream().toList(),
                        List.of())
                    .createWorkerFactoryOptions());
    metricsScope.ifAvailable(options::setMetricsScope);
    for (TemporalOptionsCustomizer<TestEnvironmentOptions.Builder> c :
        environment.orderedStream().toList()) {
      options = c.customize(options);
    }
    return new EmbeddedTemporal(TestWorkflowEnvironment.newInstance(options.build()), service);
  }
}
