package dev.awa.maintenance;

/** The batch loop of promotion, the rescues and aging: short transactions until caught up. */
final class Batches {
  /** One batch in its own transaction; returns how many rows it handled. */
  @FunctionalInterface
  interface Batch {
    int run() throws Exception;
  }

  private Batches() {}

  /**
   * Runs up to {@code maxBatches} batches while this process leads, stopping after the first batch
   * that handled fewer than {@code batchSize} rows (caught up); returns the rows handled in all.
   */
  static int untilCaughtUp(BranchContext ctx, int batchSize, int maxBatches, Batch batch)
      throws Exception {
    int total = 0;
    for (int i = 0; i < maxBatches && ctx.isLeader(); i++) {
      int n = batch.run();
      total += n;
      if (n < batchSize) {
        break;
      }
    }
    return total;
  }
}
