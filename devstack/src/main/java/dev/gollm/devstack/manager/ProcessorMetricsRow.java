package dev.gollm.devstack.manager;

/**
 * One row of {@code processor_metrics} as {@code GET /api/internal/metrics} reports it; {@code
 * avgProcessingTimeMs} is devstack's own figure (mean of completed_at − processing_started_at over
 * the processor's completed tasks), the real manager's is mis-scaled.
 */
public record ProcessorMetricsRow(
    String processorId,
    double cpuUsage,
    double memoryUsage,
    long queueSize,
    long activeTasks,
    long lastUpdated,
    double avgProcessingTimeMs) {}
