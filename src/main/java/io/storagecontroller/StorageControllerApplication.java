package io.storagecontroller;

import io.storagecontroller.config.ControllerProperties;
import io.temporal.spring.boot.autoconfigure.TestServerAutoConfiguration;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The Spring application behind the {@code storage_controller} command.
 *
 * <p>The build generates this application's context ahead of time (Spring AOT, with the embedded
 * defaults), and {@code bin/storage_controller} starts from it: no configuration class is parsed
 * and no condition evaluated at start-up, which was about a quarter of the main thread's work at
 * start-up. So no bean here may depend on a condition that differs between deployments; the
 * in-process Temporal service, the one that did, is decided at start-up by {@code
 * EmbeddedTemporalConfig}.
 */
@SpringBootApplication(
    exclude = {
      TestServerAutoConfiguration.class,
      // Its @Transactional proxying, which nothing here uses (SerializableTransactions runs every
      // transaction through a template), checked every bean's methods at start-up.
      TransactionAutoConfiguration.class
    })
@EnableConfigurationProperties(ControllerProperties.class)
public class StorageControllerApplication {

  /**
   * The entry point the build's ahead-of-time processing runs (the command line is {@code Main}).
   */
  public static void main(String[] args) {
    if (!Boolean.getBoolean("spring.aot.processing")) {
      // Run by hand it would skip the command line's checks (strict mode, secrets): refuse.
      System.err.println(
          "StorageControllerApplication is the build's entry point; run storage_controller"
              + " (io.storagecontroller.Main) instead");
      System.exit(Main.USAGE_ERROR);
    }
    start(Map.of());
  }

  /** Starts the service with the command line's settings taking precedence over application.yml. */
  public static ConfigurableApplicationContext start(Map<String, Object> flags) {
    SpringApplication app = new SpringApplication(StorageControllerApplication.class);
    // Not Main, which SpringApplication would find on the stack: the generated context is named
    // after this class.
    app.setMainApplicationClass(StorageControllerApplication.class);
    app.addInitializers(
        ctx ->
            ctx.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("storage_controller command line", flags)));
    return app.run();
  }
}
