package dev.gollm.devstack.manager;

/**
 * What one cleanup did: {@code stats} taken before cleaning, finished tasks deleted, stale tasks
 * requeued ({@code timedout}) or failed, and idle rate-limit rows deleted.
 */
public record CleanupReport(
    CleanupStats stats, long deletedTasks, long timedout, long failed, long rateLimits) {}
