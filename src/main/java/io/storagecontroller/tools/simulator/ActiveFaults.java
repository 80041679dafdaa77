package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The faults a pageserver is currently told to have, and the requests left hanging by them. */
final class ActiveFaults {
  private final long salt;
  private List<Fault> faults = List.of();
  private Random failures = new Random();
  private final List<HttpExchange> parked = new ArrayList<>();

  /** {@code salt} makes each node fail different requests of the same seeded sequence. */
  ActiveFaults(long salt) {
    this.salt = salt;
  }

  synchronized void set(List<Fault> wanted) {
    faults = List.copyOf(wanted);
    faults.stream()
        .filter(Fault.Failing.class::isInstance)
        .map(Fault.Failing.class::cast)
        .findFirst()
        .ifPresent(f -> failures = new Random(f.seed() * 0x9E3779B97F4A7C15L + salt));
  }

  synchronized List<Fault> list() {
    return faults;
  }

  synchronized boolean isDown() {
    return faults.stream().anyMatch(Fault.Down.class::isInstance);
  }

  /** Keeps the exchange unanswered if hanging; then the caller must not answer it. */
  synchronized boolean parkIfHanging(HttpExchange exchange) {
    if (faults.stream().noneMatch(Fault.Hanging.class::isInstance)) {
      return false;
    }
    parked.add(exchange);
    return true;
  }

  synchronized Duration latency() {
    return faults.stream()
        .filter(Fault.Slow.class::isInstance)
        .map(f -> ((Fault.Slow) f).latency())
        .reduce(Duration.ZERO, Duration::plus);
  }

  /** The status a {@link Fault.FailingRoute} makes this path answer, or 0. */
  synchronized int routeFailure(String path) {
    for (Fault fault : faults) {
      if (fault instanceof Fault.FailingRoute route && path.endsWith(route.pathSuffix())) {
        return route.status();
      }
    }
    return 0;
  }

  synchronized boolean failsNext() {
    for (Fault fault : faults) {
      if (fault instanceof Fault.Failing failing) {
        return failures.nextDouble() < failing.rate();
      }
    }
    return false;
  }

  /** Closes the hanging requests without an answer: their callers see the connection drop. */
  void releaseParked() {
    List<HttpExchange> released;
    synchronized (this) {
      released = List.copyOf(parked);
      parked.clear();
    }
    released.forEach(HttpExchange::close);
  }
}
