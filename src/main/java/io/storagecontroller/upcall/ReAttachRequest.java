package io.storagecontroller.upcall;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.NodeRegisterRequest;

/** {@code POST /upcall/v1/re-attach}: a pageserver starting up asks which shards it should hold. */
public record ReAttachRequest(
    NodeId nodeId, NodeRegisterRequest register, Boolean emptyLocalDisk) {}
