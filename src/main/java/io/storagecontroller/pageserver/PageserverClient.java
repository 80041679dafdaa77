package io.storagecontroller.pageserver;

import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller's client for one pageserver's management API (contract section 6). Each call has
 * its own timeout and retry budget; failures surface as {@link PageserverException}, retryable or
 * not.
 */
public final class PageserverClient {
  private static final Logger log = LoggerFactory.getLogger(PageserverClient.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final NodeId nodeId;
  private final String baseUrl;
  private final String bearerToken;
  private final PageserverHttp http;
  private final PageserverRequestMetrics metrics;
  private final JsonMapper json = PageserverJson.mapper();

  /** One config read from the middle of a stream (the listing's pairs follow it). */
  private static final ObjectReader LOCATION_CONFIG =
      PageserverJson.mapper()
          .readerFor(LocationConfig.class)
          .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * @param baseUrl e.g. {@code http://ps-1:9898}
   * @param bearerToken the pageserver JWT ({@code --jwt-token}), or null when auth is off
   * @param http shared across clients: one connection pool for the fleet
   */
  public PageserverClient(
      NodeId nodeId,
      String baseUrl,
      String bearerToken,
      PageserverHttp http,
      PageserverRequestMetrics metrics) {
    this.nodeId = nodeId;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken;
    this.http = http;
    this.metrics = metrics;
  }

  public NodeId nodeId() {
    return nodeId;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Attach, detach, or make a location secondary. {@code lazy} defers activation (background work).
   */
  public void locationConfig(
      TenantShardId shard, LocationConfig config, boolean lazy, Duration flush) {
    StringBuilder path = new StringBuilder("/v1/tenant/").append(shard).append("/location_config");
    String sep = "?";
    if (lazy) {
      path.append(sep).append("lazy=true");
      sep = "&";
    }
    if (flush != null) {
      path.append(sep).append("flush_ms=").append(flush.toMillis());
    }
    send(PageserverCall.LOCATION_CONFIG, "PUT", path.toString(), config);
  }

  /** Every location the pageserver holds (start-up and node-activation scans). */
  public Map<TenantShardId, LocationConfig> listLocations() {
    return exchange(
        PageserverCall.LOCATION_CONFIGS,
        "GET",
        "/v1/location_config",
        null,
        (status, body) -> readLocations(body));
  }

  /**
   * {@code {"tenant_shards": [["<tenant_shard_id>", <LocationConfig>|null], ...]}}, read as it
   * streams: a start-up scan lists tens of thousands of locations per node, and a JSON tree of them
   * first cost as much again as the configs themselves.
   */
  private Map<TenantShardId, LocationConfig> readLocations(String body) {
    Map<TenantShardId, LocationConfig> locations = new LinkedHashMap<>();
    if (body == null || body.isBlank()) {
      return locations;
    }
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw unreadable("the location list is not an object");
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!"tenant_shards".equals(field) || value != JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.START_ARRAY) {
          parser.nextToken();
          TenantShardId id = TenantShardId.parse(parser.getString());
          LocationConfig config =
              parser.nextToken() == JsonToken.VALUE_NULL
                  ? null
                  : LOCATION_CONFIG.<LocationConfig>readValue(parser);
          if (parser.nextToken() != JsonToken.END_ARRAY) {
            throw unreadable("a location of " + id + " is not an [id, config] pair");
          }
          if (config != null) {
            locations.put(id, config);
          }
        }
      }
    } catch (JacksonException | IllegalArgumentException e) {
      throw unreadable(e.getMessage());
    }
    return locations;
  }

  private PageserverException unreadable(String why) {
    return PageserverException.status(nodeId, "decode", 500, "unreadable response: " + why);
  }

  public Optional<LocationConfig> getLocation(TenantShardId shard) {
    JsonNode body =
        send(PageserverCall.LOCATION_CONFIG, "GET", "/v1/location_config/" + shard, null).body();
    return body.isNull()
        ? Optional.empty()
        : Optional.of(json.treeToValue(body, LocationConfig.class));
  }

  public TenantShardSplitResponse shardSplit(
      TenantShardId shard, TenantShardSplitRequest request, Duration timeout) {
    PageserverCall call =
        timeout == null
            ? PageserverCall.SHARD_SPLIT
            : PageserverCall.SHARD_SPLIT.withTimeout(timeout);
    JsonNode body = send(call, "PUT", "/v1/tenant/" + shard + "/shard_split", request).body();
    return json.treeToValue(body, TenantShardSplitResponse.class);
  }

  /** Creates a timeline; the pageserver's TimelineInfo is returned as sent, for pass-through. */
  public JsonNode timelineCreate(TenantShardId shard, ObjectNode request) {
    return send(PageserverCall.TIMELINE, "POST", "/v1/tenant/" + shard + "/timeline", request)
        .body();
  }

  /**
   * {@code method /v1/tenant/<shard>/timeline/<timeline>/<action><query>} with the body as given
   * (null: none); returns the pageserver's JSON answer.
   */
  public JsonNode timelineAction(
      String method,
      TenantShardId shard,
      TimelineId timeline,
      String action,
      String query,
      JsonNode body) {
    return send(
            PageserverCall.timelineAction(action),
            method,
            "/v1/tenant/" + shard + "/timeline/" + timeline + "/" + action + query,
            body)
        .body();
  }

  public List<TimelineInfo> timelineList(TenantShardId shard) {
    JsonNode body =
        send(PageserverCall.TIMELINES, "GET", "/v1/tenant/" + shard + "/timeline", null).body();
    return List.of(json.treeToValue(body, TimelineInfo[].class));
  }

  public TimelineInfo timelineDetail(TenantShardId shard, TimelineId timeline) {
    JsonNode body =
        send(
                PageserverCall.TIMELINE_DETAIL,
                "GET",
                "/v1/tenant/" + shard + "/timeline/" + timeline,
                null)
            .body();
    return json.treeToValue(body, TimelineInfo.class);
  }

  public DeletionProgress timelineDelete(TenantShardId shard, TimelineId timeline) {
    return deletion(PageserverCall.TIMELINE, "/v1/tenant/" + shard + "/timeline/" + timeline);
  }

  /** Deletes a tenant shard's remote data. */
  public DeletionProgress tenantDelete(TenantShardId shard) {
    return deletion(PageserverCall.TENANT_DELETE, "/v1/tenant/" + shard);
  }

  public JsonNode tenantInfo(TenantShardId shard) {
    return send(PageserverCall.TENANT, "GET", "/v1/tenant/" + shard, null).body();
  }

  /**
   * Asks a secondary location to download its layers; {@code done} is false while it still works.
   */
  public SecondaryDownload secondaryDownload(TenantShardId shard, Duration wait) {
    String path = "/v1/tenant/" + shard + "/secondary/download";
    if (wait != null) {
      path += "?wait_ms=" + wait.toMillis();
    }
    Reply reply = send(PageserverCall.SECONDARY_DOWNLOAD, "POST", path, null);
    return new SecondaryDownload(
        reply.status() == 200, json.treeToValue(reply.body(), SecondaryProgress.class));
  }

  /** The outcome of a secondary download request. */
  public record SecondaryDownload(boolean done, SecondaryProgress progress) {}

  public SecondaryProgress secondaryStatus(TenantShardId shard) {
    JsonNode body =
        send(
                PageserverCall.SECONDARY_STATUS,
                "GET",
                "/v1/tenant/" + shard + "/secondary/status",
                null)
            .body();
    return json.treeToValue(body, SecondaryProgress.class);
  }

  public void heatmapUpload(TenantShardId shard) {
    send(PageserverCall.HEATMAP_UPLOAD, "POST", "/v1/tenant/" + shard + "/heatmap_upload", null);
  }

  public void timeTravel(TenantShardId shard, String travelTo, String doneIfAfter) {
    send(
        PageserverCall.TIME_TRAVEL,
        "PUT",
        "/v1/tenant/"
            + shard
            + "/time_travel_remote_storage?travel_to="
            + URLEncoder.encode(travelTo, StandardCharsets.UTF_8)
            + "&done_if_after="
            + URLEncoder.encode(doneIfAfter, StandardCharsets.UTF_8),
        null);
  }

  /** Waits until the shard's timelines reach the LSNs; false if the pageserver gave up (202). */
  public boolean waitLsn(TenantShardId shard, Map<TimelineId, Lsn> lsns, Duration timeout) {
    ObjectNode body = json.createObjectNode();
    lsns.forEach((timeline, lsn) -> body.put(timeline.toString(), lsn.toString()));
    body.putObject("timeout").put("secs", timeout.getSeconds()).put("nanos", timeout.getNano());
    PageserverCall call = PageserverCall.WAIT_LSN.withTimeout(timeout.plusSeconds(5));
    return send(call, "POST", "/v1/tenant/" + shard + "/wait_lsn", body).status() == 200;
  }

  /** A pageserver's raw answer to a relayed request: status, body and content type, unchanged. */
  public record RawReply(int status, String body, String contentType) {}

  /**
   * Relays a GET as is (one attempt: the caller decides about retrying); only an unreachable
   * pageserver throws. Not in the pageserver request metrics: as in Neon, the relay has its own
   * ({@code storage_controller_passthrough_request_*}).
   */
  public RawReply passthroughGet(String pathAndQuery) {
    try {
      PageserverHttp.Answer answer =
          http.exchange(
              "GET", baseUrl + pathAndQuery, null, bearerToken, PageserverCall.DEFAULT_TIMEOUT);
      return new RawReply(answer.status(), answer.body(), answer.contentType());
    } catch (IOException e) {
      throw PageserverException.unreachable(nodeId, "passthrough", e);
    }
  }

  public PageserverUtilization utilization() {
    JsonNode body = send(PageserverCall.UTILIZATION, "GET", "/v1/utilization", null).body();
    return json.treeToValue(body, PageserverUtilization.class);
  }

  /** The pageserver's largest attached shards by the request's ordering. */
  public TopTenantShards.Response topTenants(TopTenantShards.Request request) {
    JsonNode body = send(PageserverCall.TOP_TENANTS, "POST", "/v1/top_tenants", request).body();
    return json.treeToValue(body, TopTenantShards.Response.class);
  }

  public RemoteStorageScan scanRemoteStorage(TenantId tenant) {
    JsonNode body =
        send(
                PageserverCall.TENANT_SCAN_REMOTE_STORAGE,
                "GET",
                "/v1/tenant/" + tenant + "/scan_remote_storage",
                null)
            .body();
    return json.treeToValue(body, RemoteStorageScan.class);
  }

  public JsonNode status() {
    return send(PageserverCall.STATUS, "GET", "/v1/status", null).body();
  }

  private DeletionProgress deletion(PageserverCall call, String path) {
    try {
      int status = send(call, "DELETE", path, null).status();
      return status == 202 ? DeletionProgress.ACCEPTED : DeletionProgress.DONE;
    } catch (PageserverException e) {
      if (e.status() == 404) {
        return DeletionProgress.DONE;
      }
      if (e.status() == 409) {
        return DeletionProgress.IN_PROGRESS;
      }
      throw e;
    }
  }

  private record Reply(int status, JsonNode body) {}

  private Reply send(PageserverCall call, String method, String path, Object body) {
    return exchange(call, method, path, body, (status, answer) -> new Reply(status, parse(answer)));
  }

  /** One call, retried as {@code call} allows; a successful answer is read by {@code read}. */
  private <T> T exchange(
      PageserverCall call,
      String method,
      String path,
      Object body,
      BiFunction<Integer, String, T> read) {
    // Neon's client sends a JSON body on every method, `null` where there is nothing to say.
    String payload = body == null ? "null" : json.writeValueAsString(body);
    String url = baseUrl + path;
    String verb = method.toLowerCase(Locale.ROOT);
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      PageserverException failure;
      try {
        PageserverHttp.Answer answer =
            http.exchange(method, url, payload, bearerToken, call.timeout());
        double seconds = (System.nanoTime() - started) / 1e9;
        int status = answer.status();
        if (status < 400) {
          metrics.observe(nodeId.toString(), call.name(), verb, seconds, false);
          return read.apply(status, answer.body());
        }
        metrics.observe(nodeId.toString(), call.name(), verb, seconds, true);
        failure =
            PageserverException.status(nodeId, call.name(), status, errorMessage(answer.body()));
      } catch (IOException e) {
        metrics.observe(
            nodeId.toString(), call.name(), verb, (System.nanoTime() - started) / 1e9, true);
        if (isTls(e)) {
          throw untrusted(call, e);
        }
        failure = PageserverException.unreachable(nodeId, call.name(), e);
      }
      if (!failure.retryable() || attempt >= call.attempts()) {
        throw failure;
      }
      log.debug(
          "{} (attempt {}/{}), retrying in {}",
          failure.getMessage(),
          attempt,
          call.attempts(),
          backoff);
      sleep(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /**
   * A TLS handshake that failed (an untrusted or mismatched certificate, a server that does not
   * speak TLS) fails the same way on every retry: it is counted, logged as an error naming the
   * remedy, and not retried.
   */
  private PageserverException untrusted(PageserverCall call, IOException e) {
    metrics.tlsFailure(nodeId.toString());
    log.error(
        "pageserver {}: TLS handshake with {} failed ({}); is its certificate signed by a CA in"
            + " --ssl-ca-file or the JDK's roots, for the address it registered?",
        nodeId,
        baseUrl,
        e.getMessage());
    return PageserverException.tls(nodeId, call.name(), e);
  }

  private static boolean isTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return json.nullNode();
    }
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw unreadable(e.getOriginalMessage());
    }
  }

  private String errorMessage(String body) {
    try {
      JsonNode msg = json.readTree(body).path("msg");
      return msg.isString() ? msg.asString() : body;
    } catch (JacksonException e) {
      return body;
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PageserverException.unreachable(nodeId, "retry", e);
    }
  }
}
