package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the tasks a stranding processor held got back to work, read from the manager's lease changes
 * ({@link LeaseLog}) up to the end of a run.
 *
 * <p>A stranded task is <em>stealable</em>, by the manager's rule, while its heartbeat is older
 * than the steal threshold and its owner holds more than the owner minimum; here also only once the
 * first of ours is ready, since nothing else steals. A stranded task is never heartbeated, so its
 * last heartbeat is its claim. The owner only loses tasks after its share is claimed, so once it is
 * down to the minimum the tasks it still holds are out of reach of stealing for good and wait for
 * the manager's cleanup.
 *
 * @param bySteal stranded tasks taken from it by work-steal first
 * @param byCleanup stranded tasks requeued first (nothing but a cleanup requeues them)
 * @param stealableWaitS per stranded task that was stealable: from then until it was stolen, or
 *     until it stopped being stealable without being stolen (owner down to the minimum, requeued,
 *     or the end of the run), in s, ascending
 * @param notStolenWhileStealable of those, how many were not stolen while stealable
 * @param heartbeatRescueDelayS per rescued task (steal or cleanup): its last heartbeat + the steal
 *     threshold → rescued, in s, ascending
 * @param doubleHandOuts steal updates that hit a task no longer stealable: it was handed out again
 *     by a steal that selected it before another steal (or a heartbeat, or its completion) got
 *     there
 */
record Rescues(
    int bySteal,
    int byCleanup,
    List<Double> stealableWaitS,
    int notStolenWhileStealable,
    List<Double> heartbeatRescueDelayS,
    long doubleHandOuts) {

  Rescues {
    stealableWaitS = List.copyOf(stealableWaitS);
    heartbeatRescueDelayS = List.copyOf(heartbeatRescueDelayS);
  }

  /**
   * Reads the rescues from {@code events}, ignoring those after {@code end}.
   *
   * @param oursReady when the first of ours was ready
   * @param owner the stranding processor's id
   * @param stranded the tasks it claimed and never took up
   * @param stealAfter the manager's steal threshold
   * @param ownerMinimum the manager's: steals only from owners holding more than this
   */
  static Rescues of(
      List<LeaseEvent> events,
      Instant end,
      Instant oursReady,
      String owner,
      Set<String> stranded,
      Duration stealAfter,
      int ownerMinimum) {
    long endMillis = end.toEpochMilli();
    long doubleHandOuts = 0;
    Map<String, Long> claimedAt = new HashMap<>();
    Map<String, LeaseEvent> rescues = new HashMap<>();
    Set<String> held = new HashSet<>();
    boolean aboveMinimum = false;
    long protectedFrom = Long.MAX_VALUE;
    for (LeaseEvent e : events) {
      if (e.atMillis() > endMillis) {
        continue;
      }
      LeaseEvent.Kind kind = e.kind();
      if (kind == LeaseEvent.Kind.STEAL && !e.wasStealable(stealAfter)) {
        doubleHandOuts++;
      }
      boolean wasHeld = owner.equals(e.oldOwner()) && e.oldStatus() == TaskStatus.PROCESSING;
      boolean isHeld = owner.equals(e.newOwner()) && e.newStatus() == TaskStatus.PROCESSING;
      if (!wasHeld && isHeld) {
        held.add(e.taskId());
        claimedAt.put(e.taskId(), e.atMillis());
      } else if (wasHeld && !isHeld) {
        held.remove(e.taskId());
        boolean rescue = kind == LeaseEvent.Kind.STEAL || kind == LeaseEvent.Kind.REQUEUE;
        if (rescue && stranded.contains(e.taskId())) {
          rescues.putIfAbsent(e.taskId(), e);
        }
      }
      aboveMinimum |= held.size() > ownerMinimum;
      if (aboveMinimum && held.size() <= ownerMinimum && protectedFrom == Long.MAX_VALUE) {
        protectedFrom = e.atMillis();
      }
    }

    int bySteal = 0;
    int byCleanup = 0;
    int notStolen = 0;
    List<Double> waits = new ArrayList<>();
    List<Double> heartbeatDelays = new ArrayList<>();
    for (String id : stranded) {
      LeaseEvent rescue = rescues.get(id);
      Long claim = claimedAt.get(id);
      if (claim == null) {
        continue; // claimed before the log was installed: nothing known about it
      }
      long stealable = Math.max(claim + stealAfter.toMillis(), oursReady.toEpochMilli());
      if (rescue != null) {
        heartbeatDelays.add((rescue.atMillis() - claim - stealAfter.toMillis()) / 1000.0);
      }
      if (rescue != null && rescue.kind() == LeaseEvent.Kind.STEAL) {
        bySteal++;
        waits.add((rescue.atMillis() - stealable) / 1000.0);
        continue;
      }
      if (rescue != null) {
        byCleanup++;
      }
      long stopped =
          Math.min(
              Math.min(protectedFrom, endMillis), rescue == null ? endMillis : rescue.atMillis());
      if (stealable < stopped) {
        notStolen++;
        waits.add((stopped - stealable) / 1000.0);
      }
    }
    waits.sort(null);
    heartbeatDelays.sort(null);
    return new Rescues(bySteal, byCleanup, waits, notStolen, heartbeatDelays, doubleHandOuts);
  }
}
