package dev.awa.bench.scenario;

import dev.awa.bench.Progress;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sql.DataSource;

/**
 * One or more {@link AwaRuntime}s (each with its own pool, like separate processes) draining jobs
 * enqueued up front, with a ledger per job id: what the drain, sweep, fairness and scale scenarios
 * share. The clock runs from the first {@code start()} until the last acknowledgement is written
 * (counted by {@link AwaListener#onCompleted}, which fires after the ack statement confirmed it);
 * each runtime's pool is open before it.
 */
final class RuntimeDrain {
  private static final int ENQUEUE_BATCH = 10_000;

  /** How the runtimes are set up. */
  record Setup(int runtimes, int workers, int poolSize, Integer claimAhead, int handlerSleepMs) {
    static Setup of(int workers, int poolSize) {
      return new Setup(1, workers, poolSize, null, 0);
    }

    Setup claimAhead(Integer jobs) {
      return new Setup(runtimes, workers, poolSize, jobs, handlerSleepMs);
    }

    Setup handlerSleepMs(int ms) {
      return new Setup(runtimes, workers, poolSize, claimAhead, ms);
    }

    Setup runtimes(int n) {
      return new Setup(n, workers, poolSize, claimAhead, handlerSleepMs);
    }
  }

  /** What one drain measured; {@code perRuntime} counts handler starts per runtime. */
  record Outcome(
      double jobsPerSecond, ExactlyOnceLedger ledger, boolean timedOut, long[] perRuntime) {}

  private RuntimeDrain() {}

  /** Empties awa.jobs, enqueues {@code jobs} into {@code queue} (COPY) and VACUUM ANALYZEs. */
  static long[] load(DataSource pool, String queue, int jobs) throws SQLException {
    execute(pool, "TRUNCATE awa.jobs, awa.scheduled_jobs");
    AwaClient loader = AwaClient.create(pool);
    long[] ids = new long[jobs];
    for (int from = 0; from < jobs; from += ENQUEUE_BATCH) {
      int to = Math.min(jobs, from + ENQUEUE_BATCH);
      List<NewJob> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(NewJob.builder("bench").queue(queue).argsJson("{\"n\":" + (i + 1) + "}").build());
      }
      System.arraycopy(loader.enqueueMany(batch), 0, ids, from, to - from);
    }
    execute(pool, "VACUUM ANALYZE awa.jobs");
    return ids;
  }

  /** Drains the loaded {@code ids} with the runtimes of {@code setup}; closes them afterwards. */
  static Outcome run(
      TestDatabase db, Progress progress, String label, long[] ids, String queue, Setup setup)
      throws InterruptedException {
    int jobs = ids.length;
    ExactlyOnceLedger ledger = new ExactlyOnceLedger(ids);
    CountDownLatch done = new CountDownLatch(jobs);
    AtomicLongArray perRuntime = new AtomicLongArray(setup.runtimes());
    AwaListener listener =
        new AwaListener() {
          @Override
          public void onCompleted(JobRow job, Duration handlerDuration) {
            ledger.completed(job.id());
            done.countDown();
          }
        };
    List<AwaRuntime> runtimes = new ArrayList<>();
    for (int r = 0; r < setup.runtimes(); r++) {
      int index = r;
      DataSource pool = db.newDataSource(setup.poolSize(), "awa-bench-runtime-" + r);
      Pools.open(pool, setup.poolSize());
      AwaRuntime.Builder b =
          AwaRuntime.builder(pool)
              .listener(listener)
              .queue(queue, setup.workers())
              .register(
                  "bench",
                  ctx -> {
                    ledger.claimed(ctx.job().id());
                    perRuntime.incrementAndGet(index);
                    if (setup.handlerSleepMs() > 0) {
                      Thread.sleep(setup.handlerSleepMs());
                    }
                    return JobResult.completed();
                  });
      if (setup.claimAhead() != null) {
        b.claimAhead(setup.claimAhead());
      }
      runtimes.add(b.build());
    }
    progress.line(label + ": draining " + jobs + " jobs");
    long start = System.nanoTime();
    boolean finished;
    try (Progress.Ticker ignored =
        progress.every(
            Duration.ofSeconds(2),
            () ->
                label
                    + ": "
                    + ledger.completedCount()
                    + "/"
                    + jobs
                    + " completed after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms")) {
      runtimes.forEach(AwaRuntime::start);
      finished = done.await(30, TimeUnit.MINUTES);
    }
    long nanos = System.nanoTime() - start;
    runtimes.forEach(AwaRuntime::close);
    long[] counts = new long[setup.runtimes()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = perRuntime.get(i);
    }
    return new Outcome(Throughput.jobsPerSecond(jobs, nanos), ledger, !finished, counts);
  }

  static void execute(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
