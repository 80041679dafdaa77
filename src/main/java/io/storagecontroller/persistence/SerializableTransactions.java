package io.storagecontroller.persistence;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs database work in SERIALIZABLE transactions, retrying serialization failures. Neon learned
 * that even unrelated generation increments collide on index pages under weaker isolation (its
 * #7792).
 */
@Component
public class SerializableTransactions {
  private static final Logger log = LoggerFactory.getLogger(SerializableTransactions.class);

  /** Neon retries up to 128 times. */
  static final int MAX_ATTEMPTS = 128;

  private final TransactionTemplate template;

  public SerializableTransactions(PlatformTransactionManager transactions) {
    this.template = new TransactionTemplate(transactions);
    template.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
  }

  public <T> T execute(String operation, Supplier<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return template.execute(status -> work.get());
      } catch (ConcurrencyFailureException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        log.debug("serialization failure in {} (attempt {}), retrying", operation, attempt);
      }
    }
  }

  public void run(String operation, Runnable work) {
    execute(
        operation,
        () -> {
          work.run();
          return null;
        });
  }
}
