package dev.gollm.devstack.soak;

import java.util.Map;

/**
 * Whether a soak run passed: every check must hold, and a failure names each one that did not.
 *
 * @param invariantHolds nothing was lost, answered twice or answered wrongly
 * @param unfinished tasks still pending or processing after the drain
 * @param recovered every task submitted after the faults completed
 * @param heapHeld no processor's heap grew beyond noise
 * @param exitsClean every processor exited 0 on SIGTERM
 */
record SoakVerdict(
    boolean invariantHolds,
    int unfinished,
    boolean recovered,
    boolean heapHeld,
    boolean exitsClean) {

  /** Heap growth allowed after the run, beyond which it is not noise: 16 MiB or half, if more. */
  static final long HEAP_NOISE_BYTES = 16L << 20;

  boolean pass() {
    return invariantHolds && unfinished == 0 && recovered && heapHeld && exitsClean;
  }

  /**
   * Whether every processor's heap after the run stayed within noise of its heap before: 16 MiB or
   * half the heap before, whichever is more. A missing reading (-1) fails.
   */
  static boolean heapHeld(
      Map<String, MemoryProbe.Reading> before, Map<String, MemoryProbe.Reading> after) {
    for (Map.Entry<String, MemoryProbe.Reading> e : before.entrySet()) {
      MemoryProbe.Reading b = e.getValue();
      MemoryProbe.Reading a = after.get(e.getKey());
      if (a == null || b.heapBytes() < 0 || a.heapBytes() < 0) {
        return false;
      }
      long allowed = Math.max(HEAP_NOISE_BYTES, b.heapBytes() / 2);
      if (a.heapBytes() - b.heapBytes() > allowed) {
        return false;
      }
    }
    return true;
  }

  /** {@code PASS}, or {@code FAIL} followed by every check that failed. */
  String describe() {
    if (pass()) {
      return "PASS";
    }
    return "FAIL"
        + (invariantHolds ? "" : " (invariant)")
        + (unfinished == 0 ? "" : " (" + unfinished + " tasks unfinished after the drain)")
        + (recovered ? "" : " (no recovery)")
        + (heapHeld ? "" : " (heap grew beyond noise)")
        + (exitsClean ? "" : " (a processor did not exit 0)");
  }
}
