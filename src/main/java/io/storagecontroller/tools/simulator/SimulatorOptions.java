package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * How a simulated fleet is set up.
 *
 * @param pageservers how many pageservers the fleet starts
 * @param firstNodeId the node id of the first; the others follow consecutively
 * @param controllerUrl the controller's base URL (upcalls go to {@code /upcall/v1/...} under it),
 *     or null for a fleet without controller: no re-attach, and every deletion is assumed validated
 * @param upcallToken the bearer token sent on upcalls (the controller may require the {@code
 *     generations_api} scope), or null
 * @param requiredToken the bearer token pageservers demand on their API, or null for no auth
 * @param controlListen where the fleet's control API listens
 * @param upcallDeadline how long a pageserver keeps retrying an upcall before giving up (a real one
 *     retries forever, which would hang tests when the controller is gone)
 * @param secondaryDownloadTime how long a secondary takes to download its heatmap's layers
 * @param deletionTime how long a timeline or tenant deletion stays in progress before its remote
 *     objects are removed
 * @param seed the seed of failure injection, so a run with the same requests fails the same ones
 * @param availabilityZone the availability zone each node registers with
 * @param tls when set, each pageserver also serves its API over HTTPS with this context's
 *     certificate, on a port of its own that it registers as {@code listen_https_port}
 * @param heatmapUploadPeriod when set, a new secondary finds a heatmap to download only this long
 *     after it was configured (a real pageserver uploads one per period), unless the attached
 *     location was asked for one ({@code heatmap_upload}); until then its download has nothing to
 *     do and never completes. Null: a heatmap is always there.
 * @param advertisedHost when set, pageservers listen on every interface and register this host name
 *     (a fleet in its own container, reached by controllers elsewhere); null: loopback only,
 *     registered as 127.0.0.1
 */
public record SimulatorOptions(
    int pageservers,
    long firstNodeId,
    URI controllerUrl,
    String upcallToken,
    String requiredToken,
    InetSocketAddress controlListen,
    Duration upcallDeadline,
    Duration secondaryDownloadTime,
    Duration deletionTime,
    long seed,
    Function<NodeId, String> availabilityZone,
    SSLContext tls,
    Duration heatmapUploadPeriod,
    String advertisedHost) {

  public SimulatorOptions {
    if (pageservers < 0) {
      throw new IllegalArgumentException("pageservers must not be negative: " + pageservers);
    }
    Objects.requireNonNull(controlListen, "controlListen");
    Objects.requireNonNull(upcallDeadline, "upcallDeadline");
    Objects.requireNonNull(secondaryDownloadTime, "secondaryDownloadTime");
    Objects.requireNonNull(deletionTime, "deletionTime");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
  }

  /** Three pageservers from node 1, no controller, no auth, control API on an ephemeral port. */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(
        3,
        1,
        null,
        null,
        null,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        Duration.ofMillis(50),
        0,
        node -> "az-" + node.value() % 3,
        null,
        null,
        null);
  }

  public SimulatorOptions withPageservers(int count) {
    return with(draft -> draft.pageservers = count);
  }

  public SimulatorOptions withFirstNodeId(long nodeId) {
    return with(draft -> draft.firstNodeId = nodeId);
  }

  public SimulatorOptions withController(URI url) {
    return with(draft -> draft.controllerUrl = url);
  }

  public SimulatorOptions withUpcallToken(String token) {
    return with(draft -> draft.upcallToken = token);
  }

  public SimulatorOptions withRequiredToken(String token) {
    return with(draft -> draft.requiredToken = token);
  }

  public SimulatorOptions withControlListen(InetSocketAddress address) {
    return with(draft -> draft.controlListen = address);
  }

  public SimulatorOptions withUpcallDeadline(Duration deadline) {
    return with(draft -> draft.upcallDeadline = deadline);
  }

  public SimulatorOptions withSecondaryDownloadTime(Duration time) {
    return with(draft -> draft.secondaryDownloadTime = time);
  }

  public SimulatorOptions withDeletionTime(Duration time) {
    return with(draft -> draft.deletionTime = time);
  }

  public SimulatorOptions withSeed(long value) {
    return with(draft -> draft.seed = value);
  }

  public SimulatorOptions withAvailabilityZone(Function<NodeId, String> zone) {
    return with(draft -> draft.availabilityZone = zone);
  }

  public SimulatorOptions withTls(SSLContext context) {
    return with(draft -> draft.tls = context);
  }

  public SimulatorOptions withHeatmapUploadPeriod(Duration period) {
    return with(draft -> draft.heatmapUploadPeriod = period);
  }

  public SimulatorOptions withAdvertisedHost(String host) {
    return with(draft -> draft.advertisedHost = host);
  }

  /** A copy with one setting changed. */
  private SimulatorOptions with(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** The settings while one of them changes. */
  private static final class Draft {
    int pageservers;
    long firstNodeId;
    URI controllerUrl;
    String upcallToken;
    String requiredToken;
    InetSocketAddress controlListen;
    Duration upcallDeadline;
    Duration secondaryDownloadTime;
    Duration deletionTime;
    long seed;
    Function<NodeId, String> availabilityZone;
    SSLContext tls;
    Duration heatmapUploadPeriod;
    String advertisedHost;

    Draft(SimulatorOptions from) {
      pageservers = from.pageservers;
      firstNodeId = from.firstNodeId;
      controllerUrl = from.controllerUrl;
      upcallToken = from.upcallToken;
      requiredToken = from.requiredToken;
      controlListen = from.controlListen;
      upcallDeadline = from.upcallDeadline;
      secondaryDownloadTime = from.secondaryDownloadTime;
      deletionTime = from.deletionTime;
      seed = from.seed;
      availabilityZone = from.availabilityZone;
      tls = from.tls;
      heatmapUploadPeriod = from.heatmapUploadPeriod;
      advertisedHost = from.advertisedHost;
    }

    SimulatorOptions build() {
      return new SimulatorOptions(
          pageservers,
          firstNodeId,
          controllerUrl,
          upcallToken,
          requiredToken,
          controlListen,
          upcallDeadline,
          secondaryDownloadTime,
          deletionTime,
          seed,
          availabilityZone,
          tls,
          heatmapUploadPeriod,
          advertisedHost);
    }
  }
}
