package io.storagecontroller.tools.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.upcall.ReAttachRequest;
import io.storagecontroller.upcall.ReAttachResponse;
import io.storagecontroller.upcall.ValidateRequest;
import io.storagecontroller.upcall.ValidateResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * A pageserver's calls to the controller's {@code /upcall/v1} API. Like a real pageserver it
 * retries every failure with backoff, but only until the fleet's upcall deadline, so a missing
 * controller cannot hang a test.
 */
final class UpcallClient {
  private static final Logger LOG = LoggerFactory.getLogger(UpcallClient.class);
  private static final int VALIDATE_CHUNK = 128;

  private final FleetResources fleet;
  private final URI base;

  UpcallClient(FleetResources fleet) {
    this.fleet = fleet;
    this.base = upcallBase(fleet.options().controllerUrl());
  }

  /**
   * Accepts the controller's base URL or Neon's {@code control_plane_api} form ending in
   * /upcall/v1.
   */
  private static URI upcallBase(URI controller) {
    if (controller == null) {
      return null;
    }
    String url = controller.toString().replaceAll("/+$", "");
    return URI.create(url.endsWith("/upcall/v1") ? url + "/" : url + "/upcall/v1/");
  }

  boolean configured() {
    return base != null;
  }

  Optional<ReAttachResponse> reAttach(ReAttachRequest request) {
    return call("re-attach", request, ReAttachResponse.class);
  }

  /**
   * Which of the shards hold a current generation; shards the controller omits count as invalid.
   * Empty if the controller could not be reached before the deadline.
   */
  Optional<Map<TenantShardId, Boolean>> validate(List<ValidateRequest.Tenant> tenants) {
    Map<TenantShardId, Boolean> verdicts = new HashMap<>();
    for (int from = 0; from < tenants.size(); from += VALIDATE_CHUNK) {
      List<ValidateRequest.Tenant> chunk =
          new ArrayList<>(tenants.subList(from, Math.min(tenants.size(), from + VALIDATE_CHUNK)));
      Optional<ValidateResponse> response =
          call("validate", new ValidateRequest(chunk), ValidateResponse.class);
      if (response.isEmpty()) {
        return Optional.empty();
      }
      chunk.forEach(t -> verdicts.put(t.id(), false));
      response.get().tenants().forEach(t -> verdicts.put(t.id(), t.valid()));
    }
    return Optional.of(verdicts);
  }

  private <T> Optional<T> call(String name, Object body, Class<T> type) {
    Instant deadline = fleet.clock().instant().plus(fleet.options().upcallDeadline());
    long backoffMillis = 50;
    while (true) {
      String failure;
      try {
        HttpResponse<byte[]> response =
            fleet
                .http()
                .send(request(name, body, deadline), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
          return Optional.of(PageserverJson.mapper().readValue(response.body(), type));
        }
        failure = "HTTP " + response.statusCode() + " " + new String(response.body(), UTF_8);
      } catch (IOException | JacksonException | IllegalArgumentException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      Duration left = Duration.between(fleet.clock().instant(), deadline);
      if (left.toMillis() <= backoffMillis) {
        LOG.warn("upcall {} to {} gave up: {}", name, base, failure);
        return Optional.empty();
      }
      LOG.debug("upcall {} failed, retrying in {} ms: {}", name, backoffMillis, failure);
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      backoffMillis = Math.min(backoffMillis * 2, 1000);
    }
  }

  private HttpRequest request(String name, Object body, Instant deadline) {
    Duration left = Duration.between(fleet.clock().instant(), deadline);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(name))
            .timeout(clamp(left, Duration.ofMillis(100), Duration.ofSeconds(10)))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    PageserverJson.mapper().writeValueAsBytes(body)));
    String token = fleet.options().upcallToken();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }
}
