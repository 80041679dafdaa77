package io.storagecontroller.tools.bench;

import java.util.Map;

/** One measured figure of a benchmark phase, as {@code bench-results.json} holds it. */
public record PhaseResult(
    String phase, double figure, String unit, Map<String, Object> parameters) {}
