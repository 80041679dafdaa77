package io.storagecontroller;

import io.storagecontroller.config.ControllerProperties;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** The Spring application behind the {@code storage_controller} command. */
@SpringBootApplication
@EnableConfigurationProperties(ControllerProperties.class)
public class StorageControllerApplication {

  /** Starts the service with the command line's settings taking precedence over application.yml. */
  public static ConfigurableApplicationContext start(Map<String, Object> flags) {
    SpringApplication app = new SpringApplication(StorageControllerApplication.class);
    app.addInitializers(
        ctx ->
            ctx.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("storage_controller command line", flags)));
    return app.run();
  }
}
