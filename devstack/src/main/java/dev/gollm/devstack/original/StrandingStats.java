package dev.gollm.devstack.original;

/**
 * What a {@link StrandingProcessor} did so far.
 *
 * @param announced {@code task_available} events received
 * @param claimed tasks the manager handed it in answer to its claims (it asked for none of them)
 * @param stranded claimed tasks it never took up: left {@code processing} under its name, never
 *     heartbeated
 * @param skippedUnowned announced tasks it did not take up because it did not own them
 * @param generated generations it finished
 * @param completed complete calls the manager accepted
 * @param completedUnowned of those, for tasks it did not own (anymore): duplicates of another's
 *     work
 * @param lostOnHeartbeat tasks it worked on whose heartbeat got 404: stolen, requeued by cleanup,
 *     or never its own
 * @param failedGenerations generations that failed (the task was requeued, as the original does)
 * @param streamsOpened task-stream connections opened
 * @param working tasks queued or being worked on now
 */
public record StrandingStats(
    long announced,
    long claimed,
    long stranded,
    long skippedUnowned,
    long generated,
    long completed,
    long completedUnowned,
    long lostOnHeartbeat,
    long failedGenerations,
    long streamsOpened,
    long working) {}
