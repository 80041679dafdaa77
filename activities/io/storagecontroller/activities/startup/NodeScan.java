package io.storagecontroller.activities.startup;

import io.storagecontroller.model.NodeId;

/** What one node's start-up scan found: locations of known shards, and strays of unknown ones. */
public record NodeScan(NodeId nodeId, int locations, int strays) {}
