package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeRegisterRequest;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.upcall.ReAttachRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated pageserver: a real HTTP server on loopback answering the pageserver API the
 * controller calls, holding tenant shard locations in memory and enforcing generations against the
 * fleet's {@link RemoteStorage}. It keeps its port across being down and restarts, so the
 * controller's registration stays valid.
 *
 * <p>Lifecycle: {@link #start()} listens and, with a controller, re-attaches (tenant routes answer
 * 503 until that is done); {@link #crash()} stops and forgets everything local; {@link #restart()}
 * is both. {@link #fault} changes behaviour without losing memory.
 */
public final class SimulatedPageserver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedPageserver.class);
  private static final int REQUESTS_KEPT = 10_000;

  private final NodeId nodeId;
  private final FleetResources fleet;
  private final UpcallClient upcalls;
  private final ActiveFaults faults;
  private final Router router = new Router();
  private final Deque<RecordedRequest> requests = new ArrayDeque<>();

  // Volatile so that observers need not wait for a start() blocked on re-attach.
  private volatile int port;
  private volatile HttpServer server;
  // With the fleet's TLS: the same API over HTTPS, registered as listen_https_port.
  private volatile int httpsPort;
  private volatile HttpServer httpsServer;
  private boolean running;
  private boolean closed;
  private volatile boolean ready;
  private static final String HEARTBEAT = "/v1/utilization";
  // Back on the network but not yet heard by the controller: see contacted().
  private final AtomicBoolean awaitingContact = new AtomicBoolean();
  private volatile LocalTenants tenants;
  private volatile DeletionQueue deletions;

  SimulatedPageserver(NodeId nodeId, FleetResources fleet) {
    this.nodeId = nodeId;
    this.fleet = fleet;
    this.upcalls = new UpcallClient(fleet);
    this.faults = new ActiveFaults(fleet.options().seed() * 31 + nodeId.value());
    this.tenants = new LocalTenants(nodeId, fleet);
    this.deletions = new DeletionQueue(fleet, upcalls);
    new NodeEndpoints(this).register(router);
    new LocationEndpoints(this).register(router);
    new TimelineEndpoints(this).register(router);
    new TimelineActionEndpoints(this).register(router);
    new TenantEndpoints(this).register(router);
    new SecondaryEndpoints(this).register(router);
    new WaitLsnEndpoint(this).register(router);
    new TopTenantsEndpoint(this).register(router);
  }

  public NodeId nodeId() {
    return nodeId;
  }

  /** The port, stable for the life of this pageserver; 0 before the first start. */
  public int port() {
    return port;
  }

  public URI baseUrl() {
    return URI.create("http://" + host() + ":" + port());
  }

  /** The host it registers: 127.0.0.1, or the fleet's advertised host. */
  private String host() {
    String advertised = fleet.options().advertisedHost();
    return advertised == null ? "127.0.0.1" : advertised;
  }

  /** The HTTPS port when the fleet serves TLS, else 0. */
  public int httpsPort() {
    return httpsPort;
  }

  /** Whether it answers connections now (started, not crashed, not down). */
  public boolean isListening() {
    return server != null;
  }

  /** Listens and, with a controller, re-attaches before serving tenant routes. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("pageserver " + nodeId + " is closed");
    }
    if (running) {
      return;
    }
    running = true;
    tenants = new LocalTenants(nodeId, fleet);
    deletions = new DeletionQueue(fleet, upcalls);
    ready = !upcalls.configured();
    updateListening();
    // Without a controller nobody needs to hear from it; with one, re-attach is the news.
    contacted();
    if (upcalls.configured()) {
      upcalls
          .reAttach(new ReAttachRequest(nodeId, registration(), false))
          .ifPresentOrElse(
              tenants::reAttach,
              () -> LOG.warn("pageserver {} starts with no locations: re-attach failed", nodeId));
      ready = true;
    }
  }

  /** Stops as a crashed process does: the port is released and local memory is gone. */
  public synchronized void crash() {
    if (!running) {
      return;
    }
    running = false;
    ready = false;
    deletions.lose();
    tenants.forgetAll("crash");
    updateListening();
  }

  /** Crash, clear every fault, and start again (re-attaching with a controller). */
  public synchronized void restart() {
    crash();
    faults.set(List.of());
    faults.releaseParked();
    start();
  }

  /** Replaces the active faults with these; none clears them. */
  public synchronized void fault(Fault... wanted) {
    faults.set(List.of(wanted));
    if (Stream.of(wanted).noneMatch(Fault.Hanging.class::isInstance)) {
      faults.releaseParked();
    } else if (server != null && awaitingContact.compareAndSet(false, true)) {
      // Accepting connections and answering none is, to the controller, a node that is gone: up
      // again for the safety record once a heartbeat gets an answer, as after a partition.
      fleet.recorder().availability(nodeId, false);
    }
    updateListening();
  }

  public void clearFaults() {
    fault();
  }

  public List<Fault> faults() {
    return faults.list();
  }

  /** The locations held now, by shard. */
  public Map<TenantShardId, LocationConfig> locations() {
    return tenants.configs();
  }

  public Optional<LocationConfig> location(TenantShardId shard) {
    return tenants.config(shard);
  }

  /** The most recent requests received (up to 10,000), oldest first. */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    running = false;
    deletions.lose();
    updateListening();
  }

  LocalTenants tenants() {
    return tenants;
  }

  DeletionQueue deletions() {
    return deletions;
  }

  FleetResources fleet() {
    return fleet;
  }

  private NodeRegisterRequest registration() {
    return new NodeRegisterRequest(
        nodeId,
        host(),
        port,
        null,
        null,
        host(),
        port,
        fleet.options().tls() == null ? null : httpsPort,
        fleet.options().availabilityZone().apply(nodeId),
        null);
  }

  private void updateListening() {
    boolean wanted = running && !closed && !faults.isDown();
    if (wanted && server == null) {
      server = bind(port, null);
      port = server.getAddress().getPort();
      if (fleet.options().tls() != null) {
        httpsServer = bind(httpsPort, fleet.options().tls());
        httpsPort = httpsServer.getAddress().getPort();
      }
      awaitingContact.set(true);
    } else if (!wanted && server != null) {
      server.stop(0);
      server = null;
      if (httpsServer != null) {
        httpsServer.stop(0);
        httpsServer = null;
      }
      faults.releaseParked();
      awaitingContact.set(false);
      fleet.recorder().availability(nodeId, false);
    }
  }

  /**
   * Binds the same port as before (any port the first time), over TLS when given one; it may linger
   * briefly after a stop.
   */
  private HttpServer bind(int port, SSLContext tls) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        InetSocketAddress address =
            fleet.options().advertisedHost() == null
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                : new InetSocketAddress(port);
        HttpServer created;
        if (tls == null) {
          created = NoDelayServers.http(address);
        } else {
          HttpsServer secure = NoDelayServers.https(address);
          secure.setHttpsConfigurator(new HttpsConfigurator(tls));
          created = secure;
        }
        created.createContext("/", this::handle);
        created.setExecutor(fleet.executor());
        created.start();
        return created;
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException("pageserver " + nodeId + " cannot rebind port " + port, e);
        }
        pause(Duration.ofMillis(50));
      } catch (IOException e) {
        throw new UncheckedIOException("pageserver " + nodeId + " cannot listen", e);
      }
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rebinding", e);
    }
  }

  private void handle(HttpExchange exchange) {
    synchronized (requests) {
      if (requests.size() == REQUESTS_KEPT) {
        requests.removeFirst();
      }
      requests.addLast(
          new RecordedRequest(
              fleet.clock().instant(),
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange instanceof HttpsExchange));
    }
    if (faults.parkIfHanging(exchange)) {
      return;
    }
    Duration latency = faults.latency();
    if (latency.isZero()) {
      serve(exchange);
    } else {
      // Answered later from the pool: a slow server must not hold a thread per waiting request.
      fleet
          .timers()
          .schedule(
              () -> fleet.executor().execute(() -> serve(exchange)),
              latency.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Records the node as up for the safety record once the controller can know it is: when it
   * answers a heartbeat or re-attaches, the two ways a controller learns a node's availability. A
   * node whose partition heals is back on the network before that (and may answer a call some
   * operation was retrying), and until a heartbeat tells the controller, attaching its shards
   * elsewhere is what the controller must do, as it was while the node was down.
   */
  private void contacted() {
    if (awaitingContact.compareAndSet(true, false)) {
      fleet.recorder().availability(nodeId, true);
    }
  }

  private void serve(HttpExchange exchange) {
    Reply reply;
    try {
      int routeFailure = faults.routeFailure(exchange.getRequestURI().getPath());
      reply =
          routeFailure != 0
              ? Reply.error(routeFailure, "simulated failure")
              : faults.failsNext()
                  ? Reply.error(503, "simulated failure")
                  : answer(
                      Request.read(exchange),
                      exchange.getRequestHeaders().getFirst("Authorization"));
    } catch (ApiError e) {
      reply = Reply.of(e);
    } catch (RuntimeException e) {
      LOG.warn("pageserver {} failed on {}", nodeId, exchange.getRequestURI(), e);
      reply = Reply.error(500, e.toString());
    }
    if (reply.status() < 300 && HEARTBEAT.equals(exchange.getRequestURI().getPath())) {
      contacted(); // before the answer leaves, so the record orders it before what follows
    }
    reply.send(exchange);
  }

  private Reply answer(Request request, String authorization) {
    String token = fleet.options().requiredToken();
    // /v1/status is the one route a pageserver serves without auth.
    if (token != null
        && !request.path().equals("/v1/status")
        && !("Bearer " + token).equals(authorization)) {
      throw ApiError.unauthorized(
          authorization == null ? "missing authorization header" : "malformed or invalid token");
    }
    if (!ready
        && (request.path().startsWith("/v1/tenant")
            || request.path().startsWith("/v1/location_config"))) {
      throw ApiError.unavailable("not yet serving tenants: re-attach is not complete");
    }
    return router.dispatch(request);
  }
}
