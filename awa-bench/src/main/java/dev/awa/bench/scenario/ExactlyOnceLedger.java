package dev.awa.bench.scenario;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per job id, how often it was claimed and completed during a drain, so a run can prove it
 * lost nothing and did nothing twice. Thread-safe; ids are fixed up front (the jobs enqueued before
 * the drain starts).
 */
final class ExactlyOnceLedger {
  private final long[] ids;
  private final AtomicIntegerArray claims;
  private final AtomicIntegerArray completions;
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();

  ExactlyOnceLedger(long[] expectedIds) {
    this.ids = expectedIds.clone();
    Arrays.sort(this.ids);
    this.claims = new AtomicIntegerArray(ids.length);
    this.completions = new AtomicIntegerArray(ids.length);
  }

  void claimed(long id) {
    int i = Arrays.binarySearch(ids, id);
    if (i < 0) {
      unknown.incrementAndGet();
    } else {
      claims.incrementAndGet(i);
    }
  }

  void completed(long id) {
    int i = Arrays.binarySearch(ids, id);
    if (i < 0) {
      unknown.incrementAndGet();
    } else {
      completions.incrementAndGet(i);
      completed.incrementAndGet();
    }
  }

  /** Completions so far (for progress lines). */
  long completedCount() {
    return completed.get();
  }

  /** Expected jobs never completed. */
  long lost() {
    long n = 0;
    for (int i = 0; i < ids.length; i++) {
      if (completions.get(i) == 0) {
        n++;
      }
    }
    return n;
  }

  /** Jobs claimed or completed more than once. */
  long doubled() {
    long n = 0;
    for (int i = 0; i < ids.length; i++) {
      if (claims.get(i) > 1 || completions.get(i) > 1) {
        n++;
      }
    }
    return n;
  }

  /** Ids claimed or completed that were never enqueued. */
  long unknown() {
    return unknown.get();
  }
}
