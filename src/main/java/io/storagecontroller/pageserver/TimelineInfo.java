package io.storagecontroller.pageserver;

import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TimelineId;

/**
 * The fields of a pageserver's {@code TimelineInfo} the controller reads; the full object is passed
 * through to API callers as the pageserver sent it.
 */
public record TimelineInfo(
    String tenantId,
    TimelineId timelineId,
    TimelineId ancestorTimelineId,
    Lsn ancestorLsn,
    Lsn lastRecordLsn,
    Lsn prevRecordLsn,
    Lsn diskConsistentLsn,
    Lsn remoteConsistentLsn,
    Lsn remoteConsistentLsnVisible,
    Lsn minReadableLsn,
    Lsn appliedGcCutoffLsn,
    Lsn initdbLsn,
    Long currentLogicalSize,
    Long currentPhysicalSize,
    Integer pgVersion,
    String state) {}
