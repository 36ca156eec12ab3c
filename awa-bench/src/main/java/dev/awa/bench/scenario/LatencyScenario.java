package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pickup latency into idle workers: one thread enqueues jobs one at a time ({@link
 * AwaClient#enqueue}, one transaction each) at a fixed rate while a runtime with LISTEN on waits;
 * latency is from the enqueue call returning to the handler starting. The enqueuing thread stamps
 * {@link System#nanoTime()} against the returned id, the handler stamps its own start against the
 * job id, and the two are joined afterwards (a handler may start before the enqueue call has
 * returned; such a job counts as 0 and is reported as {@code started_before_return}).
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description =
        "Pickup latency (enqueue call returned -> handler started) at a fixed enqueue rate into"
            + " idle workers, LISTEN/NOTIFY on; p50/p95/p99/max.")
public final class LatencyScenario implements Scenario {
  private static final String QUEUE = "bench_latency";

  @Option(
      names = "--jobs",
      defaultValue = "1000",
      description = "Jobs measured (default ${DEFAULT-VALUE}).")
  int jobs = 1_000;

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Enqueues per second, one at a time (default ${DEFAULT-VALUE}).")
  int rate = 200;

  @Option(
      names = "--workers",
      defaultValue = "16",
      description = "Handler slots (default ${DEFAULT-VALUE}).")
  int workers = 16;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "200",
      description = "Jobs enqueued and discarded first, same rate (default ${DEFAULT-VALUE}).")
  int warmupJobs = 200;

  @Option(
      names = "--no-listen",
      description = "Run without LISTEN/NOTIFY (polling only), for comparison.")
  boolean noListen;

  @Option(
      names = "--poll-interval-ms",
      defaultValue = "500",
      description = "The runtime's poll interval (default ${DEFAULT-VALUE}).")
  long pollIntervalMs = 500;

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public String description() {
    return "Pickup latency from AwaClient.enqueue returning to the handler starting: "
        + jobs
        + " jobs enqueued one at a time at "
        + rate
        + "/s by one thread into an idle AwaRuntime with "
        + workers
        + " workers, LISTEN/NOTIFY "
        + (noListen ? "off" : "on")
        + ", poll interval "
        + pollIntervalMs
        + " ms.";
  }

  /** Sets jobs, rate and warm-up jobs. */
  public LatencyScenario jobs(int jobs, int rate, int warmupJobs) {
    this.jobs = jobs;
    this.rate = rate;
    this.warmupJobs = warmupJobs;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobs);
    result.setting("rate_per_s", rate);
    result.setting("workers", workers);
    result.setting("warmup_jobs", warmupJobs);
    result.setting("listen", !noListen);
    result.setting("poll_interval_ms", pollIntervalMs);
    result.setting("enqueue", "AwaClient.enqueue, one job per call and transaction, one thread");
    result.setting(
        "clock", "System.nanoTime() after enqueue returns -> at the start of the handler");
    Progress progress = context.progress();
    try (TestDatabase db = context.freshDatabase("latency")) {
      DataSource pool = db.newDataSource(8, "awa-bench-latency");
      ConcurrentHashMap<Long, Long> returned = new ConcurrentHashMap<>();
      ConcurrentHashMap<Long, Long> started = new ConcurrentHashMap<>();
      ConcurrentHashMap<Long, Integer> starts = new ConcurrentHashMap<>();
      CountDownLatch completed = new CountDownLatch(jobs + warmupJobs);
      AwaRuntime runtime =
          AwaRuntime.builder(pool)
              .listen(!noListen)
              .pollInterval(Duration.ofMillis(pollIntervalMs))
              .listener(
                  new AwaListener() {
                    @Override
                    public void onCompleted(JobRow job, Duration d) {
                      completed.countDown();
                    }
                  })
              .queue(QUEUE, workers)
              .register(
                  "latency",
                  ctx -> {
                    long now = System.nanoTime();
                    started.putIfAbsent(ctx.job().id(), now);
                    starts.merge(ctx.job().id(), 1, Integer::sum);
                    return JobResult.completed();
                  })
              .build();
      runtime.start();
      AwaClient client = runtime.client();
      try {
        // Let the LISTEN session come up (the runtime polls until it does).
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!noListen && !listening(runtime) && System.nanoTime() < waitUntil) {
          Thread.sleep(20);
        }
        progress.line("warm-up: " + warmupJobs + " jobs at " + rate + "/s");
        long[] warm = enqueueAtRate(client, warmupJobs, returned);
        progress.line("measuring: " + jobs + " jobs at " + rate + "/s");
        long[] ids = enqueueAtRate(client, jobs, returned);
        boolean done = completed.await(2, TimeUnit.MINUTES);
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long lost = 0;
        long before = 0;
        for (long id : ids) {
          Long s = started.get(id);
          if (s == null) {
            lost++;
            continue;
          }
          long micros = (s - returned.get(id)) / 1000;
          if (micros < 0) {
            before++;
            micros = 0;
          }
          h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
        }
        long doubled = starts.values().stream().filter(n -> n > 1).count();
        result.metric("pickup_p50_ms", "ms", h.getValueAtPercentile(50) / 1000.0, "pickup, p50");
        result.metric("pickup_p95_ms", "ms", h.getValueAtPercentile(95) / 1000.0, "pickup, p95");
        result.metric("pickup_p99_ms", "ms", h.getValueAtPercentile(99) / 1000.0, "pickup, p99");
        result.metric("pickup_max_ms", "ms", h.getMaxValue() / 1000.0, "pickup, max");
        result.metric(
            "started_before_return",
            "jobs",
            before,
            "handler started before the enqueue call returned (counted as 0 ms)");
        result.check("lost", lost + (done ? 0 : 1));
        result.check("doubled", doubled);
        result.check("warmup_lost", warm.length - countStarted(started, warm));
        progress.line(
            String.format(
                "pickup p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0));
      } finally {
        runtime.close();
      }
    }
    return result;
  }

  private static boolean listening(AwaRuntime runtime) {
    try {
      var m = AwaRuntime.class.getDeclaredMethod("isListening");
      m.setAccessible(true);
      return (Boolean) m.invoke(runtime);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }

  private static long countStarted(ConcurrentHashMap<Long, Long> started, long[] ids) {
    long n = 0;
    for (long id : ids) {
      if (started.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  /** Enqueues {@code n} jobs one at a time on a fixed schedule; returns their ids. */
  private long[] enqueueAtRate(AwaClient client, int n, ConcurrentHashMap<Long, Long> returned) {
    long[] ids = new long[n];
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long wait;
      while ((wait = next - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      long id = client.enqueue(NewJob.builder("latency").queue(QUEUE).build()).id();
      returned.put(id, System.nanoTime());
      ids[i] = id;
      next += period;
    }
    return ids;
  }
}
