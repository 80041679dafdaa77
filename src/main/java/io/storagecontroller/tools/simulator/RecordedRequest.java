package io.storagecontroller.tools.simulator;

import java.time.Instant;

/**
 * A request as a simulated pageserver received it, whether or not it was answered; {@code
 * authorization} is the raw header (null if absent), so tests can check the controller's token;
 * {@code tls} whether it came over HTTPS.
 */
public record RecordedRequest(
    Instant at, String method, String uri, String authorization, boolean tls) {}
