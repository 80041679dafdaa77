package io.storagecontroller.tools.simulator;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the pageservers of one fleet share. One pool serves every server's requests (a thread per
 * server would not scale to a hundred), timers only schedule work onto it.
 */
record FleetResources(
    SimulatorOptions options,
    RemoteStorage remote,
    SafetyRecorder recorder,
    ExecutorService executor,
    ScheduledExecutorService timers,
    HttpClient http,
    Clock clock) {}
