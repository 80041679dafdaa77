package io.storagecontroller.persistence;

import io.storagecontroller.config.ControllerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Starts the embedded PostgreSQL on a thread of its own once the settings are known and before the
 * application context is built, so the server boots while Spring creates the beans; the data source
 * waits for it only when it needs a connection. Registered in {@code META-INF/spring.factories}, so
 * every context (tests' too) starts its database this way.
 */
public class EarlyDatabaseStart implements ApplicationListener<ApplicationPreparedEvent> {
  static final String BEAN = "embeddedDatabase";

  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    // Prepared: every property source (command line, tests' dynamic properties) is in place.
    GenericApplicationContext context = (GenericApplicationContext) event.getApplicationContext();
    ControllerProperties properties =
        Binder.get(context.getEnvironment())
            .bindOrCreate("storage-controller", ControllerProperties.class);
    // The build's ahead-of-time processing prepares the context too, and must not start a database.
    if (!properties.embeddedDatabase() || Boolean.getBoolean("spring.aot.processing")) {
      return;
    }
    Starting db = new Starting(properties.dataDir().resolve("postgres"));
    // Registered before any other bean, so destroyed after all of them (the pool included), and
    // destroyed even when the context fails before the data source was created.
    context.getBeanFactory().registerSingleton(BEAN, db);
    context.getDefaultListableBeanFactory().registerDisposableBean(BEAN, db);
  }

  /** The embedded database being started; {@link #get} waits for it. */
  public static final class Starting implements DisposableBean {
    private final CompletableFuture<EmbeddedDatabase> db = new CompletableFuture<>();

    Starting(Path dataDir) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  db.complete(EmbeddedDatabase.start(dataDir));
                } catch (Throwable e) {
                  db.completeExceptionally(e);
                }
              },
              "embedded-postgres-start");
      // A JVM exiting mid-start leaves a postmaster behind, which the next start stops.
      thread.setDaemon(true);
      thread.start();
    }

    /** The running database; rethrows what made its start fail. */
    public EmbeddedDatabase get() {
      try {
        return db.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw new IllegalStateException("the embedded PostgreSQL did not start", e.getCause());
      }
    }

    @Override
    public void destroy() throws IOException {
      EmbeddedDatabase started;
      try {
        started = db.join();
      } catch (CompletionException e) {
        return; // never started: nothing to stop
      }
      started.close();
    }
  }
}
