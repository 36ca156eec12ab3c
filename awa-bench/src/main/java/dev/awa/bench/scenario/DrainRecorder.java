package dev.awa.bench.scenario;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one drain records while it runs: who claimed and completed what (for the exactly-once
 * checks) and how long each claim and each completion took, in microseconds.
 *
 * @param ledger per-id claim and completion counts
 * @param claim claim latency, microseconds
 * @param complete completion latency, microseconds
 */
record DrainRecorder(ExactlyOnceLedger ledger, Histogram claim, Histogram complete) {

  /** A recorder expecting exactly {@code ids}. */
  static DrainRecorder over(long[] ids) {
    return new DrainRecorder(
        new ExactlyOnceLedger(ids), new ConcurrentHistogram(3), new ConcurrentHistogram(3));
  }

  void claimTook(long nanos) {
    claim.recordValue(nanos / 1000);
  }

  void completeTook(long nanos) {
    complete.recordValue(nanos / 1000);
  }
}
