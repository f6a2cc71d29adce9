package dev.gollm.devstack.manager;

/** The counts of {@code GET /api/internal/cleanup/stats}, also reported by cleanup. */
public record CleanupStats(
    long totalTasks,
    long pendingTasks,
    long processingTasks,
    long completedTasks,
    long failedTasks,
    long rateLimitRecords,
    long tasksOlderThan7Days,
    long timedoutTasks) {}
