package io.storagecontroller.scheduler;

import java.util.Map;

/**
 * {@code GET /debug/v1/scheduler}: every node's state keyed by its id, in id order, as Neon's dump
 * is shaped ({@code {"nodes": {"1": {...}}}}).
 */
public record SchedulerDump(Map<String, SchedulerNodeState> nodes) {}
