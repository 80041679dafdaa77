package io.storagecontroller.leadership;

/**
 * Another controller holds the leader lock this one had: it took over while this one was frozen or
 * cut off, without a step-down this one answered. Whatever acts on this controller's memory stops
 * at once; its transactions are already refused by the newer term.
 */
public record LeaderLockLost() {}
