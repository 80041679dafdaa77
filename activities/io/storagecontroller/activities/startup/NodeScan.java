package io.storagecontroller.activities.startup;

/** What one node's start-up scan found: locations of known shards, and strays of unknown ones. */
public record NodeScan(long nodeId, int locations, int strays) {}
