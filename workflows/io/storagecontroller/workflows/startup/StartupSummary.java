package io.storagecontroller.workflows.startup;

/** What start-up found and did; visible as the workflow's result. */
public record StartupSummary(
    int nodes, int nodesScanned, int locations, int strays, int reconciles, int notified) {}
