package io.storagecontroller.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;

/** HTTP plumbing: metrics on every named route, and JSON read as strictly as Neon's serde does. */
@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {
  private final HttpMetrics httpMetrics;
  private final StartupGate startupGate;
  private final TenantRateLimit tenantRateLimit;

  public WebConfig(
      HttpMetrics httpMetrics, StartupGate startupGate, TenantRateLimit tenantRateLimit) {
    this.httpMetrics = httpMetrics;
    this.startupGate = startupGate;
    this.tenantRateLimit = tenantRateLimit;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(httpMetrics);
    registry
        .addInterceptor(startupGate)
        .addPathPatterns(
            "/v1/tenant", "/v1/tenant/**", "/control/v1/tenant", "/control/v1/tenant/**");
    // Neon's routes marked R: those of one tenant under /v1/tenant/:tenant_id and the tenant
    // debug routes (the limiter keys on the route's tenant_id or tenant_shard_id).
    registry
        .addInterceptor(tenantRateLimit)
        .addPathPatterns("/v1/tenant/**", "/debug/v1/tenant/**")
        .excludePathPatterns("/v1/tenant/*/location_config", "/debug/v1/tenant/*/locate");
  }

  /**
   * Neon's JSON is snake_case; serde does not turn {@code "1"} into 1 or 1.5 into 1, nor accept
   * trailing garbage; neither do we.
   */
  @Bean
  JsonMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  /** Requests the servlet container refuses itself (e.g. a bad URI) also answer {"msg"}. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonContainerErrors() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
              }
            });
  }
}
