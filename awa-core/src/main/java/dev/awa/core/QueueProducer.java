package dev.awa.core;

import dev.awa.core.internal.DaemonThreads;
import dev.awa.core.internal.store.LeaseSql.ClaimKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop and the claim-ahead buffer of one queue (adr/0007).
 *
 * <p><b>Capacity.</b> The queue holds at most {@code concurrency + claimAhead} attempts that have
 * not yet given their slot back: running handlers, attempts waiting in the buffer, and completions
 * waiting for their ack beyond the ack budget. The producer thread claims into that room, so a
 * freed handler slot finds its next job already in memory while the next claim is in flight.
 *
 * <p><b>How far ahead.</b> The buffer is filled only as far as the handlers are expected to empty
 * it within {@link #AHEAD_WINDOW} at their recent average duration (at most {@code claimAhead}):
 * short handlers get the whole buffer, handlers that take seconds get none and the queue claims
 * only for free slots, as without a buffer. So a buffered job waits about {@link #AHEAD_WINDOW},
 * and several runtimes on one database share a backlog fairly.
 *
 * <p><b>Deadline.</b> An attempt's deadline starts when its handler starts, not at the claim: the
 * claim stamps {@code deadline_at} {@link #waitLimit(Duration)} beyond the queue's deadline, and a
 * buffered attempt that has not started within that limit is handed back (available again at once,
 * attempt not counted) instead of run, so the database's deadline never passes before the runtime's
 * own.
 *
 * <p><b>Hand-offs.</b> Runner tasks on the queue's executor (at most {@code concurrency} at once)
 * take attempts from the buffer one after another without parking while it has any; a runner leaves
 * when it finds the buffer empty. The producer starts only as many runners as the buffered work
 * needs at the handlers' recent duration (one per job for slow handlers, a few for no-op ones), a
 * runner that sees more work behind its job starts the next, up to the concurrency, and while
 * buffered attempts go untaken for 1 ms the waiting producer starts one more. The producer sleeps
 * until enough capacity is free for a worthwhile claim (half the target), or for 2 ms after a slot
 * went idle, and a freed slot wakes it only when that threshold is crossed, not per job.
 *
 * <p>After a short claim (the queue is drained for now) it sleeps until a notification for its
 * queue arrives or the poll interval passes (the slow backstop interval while LISTEN is up).
 *
 * <p><b>Bounded claim (watermark).</b> While a backlog drains, a claim starts at the smallest key
 * (priority, run_at, id) of the previous full claim instead of at the front of the queue, so it
 * does not walk the index entries the drain left behind (adr/0007 "Third pass"). Jobs that become
 * available behind that mark (a hand-back, a higher-priority enqueue, a retry or promoted row with
 * an older run_at, priority aging) are found by the next claim over the whole queue, which runs at
 * least every {@link #WATERMARK_RESET}, at once when a bounded claim comes back short (the rest of
 * its room is claimed from the whole queue in the same call), after waking from idle, and after a
 * failed claim. {@code -Dawa.claimWatermark=false} turns the bound off (A/B measurements).
 */
final class QueueProducer {
  private static final Logger log = LoggerFactory.getLogger(QueueProducer.class);

  /** Longest park while waiting for capacity; the loop re-evaluates after it. */
  private static final long SLOT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** How long a producer with a backlog gathers freed slots before it claims fewer. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** The buffer holds at most what the handlers finish in this long at their recent rate. */
  static final Duration AHEAD_WINDOW = Duration.ofMillis(20);

  private static final long AHEAD_WINDOW_NANOS = AHEAD_WINDOW.toNanos();

  /**
   * Longest the claims of a queue start at the watermark before one claim over the whole queue:
   * what a job made available behind the mark (see the class comment) waits at most, beyond the
   * claim itself, while a backlog drains. 100 ms is below the default poll interval and a small
   * delay for a priority change; at 2–3 ms per claim it leaves ~40 bounded claims per full one, so
   * the full claim's walk over the drained front costs little (adr/0007 "Third pass").
   */
  static final Duration WATERMARK_RESET = Duration.ofMillis(100);

  private static final long WATERMARK_RESET_NANOS = WATERMARK_RESET.toNanos();

  /**
   * The work (in handler time) that justifies waking one more runner: a few thread wake-ups. With
   * no-op handlers a claim of 100 jobs gets a handful of runners instead of one per job.
   */
  static final long RUNNER_SHARE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  /**
   * How long buffered attempts may go untaken before the claim loop starts one more runner: a
   * millisecond, a few times the share, so fast handlers never trigger it and a job waits behind a
   * long one about this long at most.
   */
  static final long RUNNER_WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Most a buffered attempt may wait for its handler before it is handed back. */
  static final Duration MAX_BUFFER_WAIT = Duration.ofSeconds(1);

  private final QueueConfig queue;
  private final AwaClient client;
  private final JobExecutor executor;
  private final Executor threads;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration backstopInterval;
  private final BooleanSupplier listening;
  private final Semaphore claimConnections;
  private final String workerId;
  private final int claimAhead;
  private final int capacity;
  private final Duration claimDeadline;
  private final long waitLimitNanos;

  /** Free capacity (see the class comment); attempts take one unit at claim, free it once. */
  private final AtomicInteger free;

  /**
   * Completions whose capacity was freed before their ack was written; bounded by the capacity, so
   * this queue's running rows never exceed twice its capacity.
   */
  private final Semaphore ackBudget;

  private final ConcurrentLinkedQueue<JobRun> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger readyCount = new AtomicInteger();
  private final AtomicInteger runners = new AtomicInteger();

  /** When a runner last took an attempt from the buffer (nanoTime), for {@link #watchRunners}. */
  private volatile long lastTakeNanos;

  private final Thread[] claimers;
  private volatile boolean claiming = true;
  private volatile boolean wakeRequested;

  /** Per claim loop: the free capacity it waits for while parked (MAX_VALUE: not waiting). */
  private final AtomicIntegerArray wantFree;

  private volatile boolean claimFailing;

  /** Whether claims may start at the watermark ({@code -Dawa.claimWatermark}, default true). */
  private final boolean watermark =
      Boolean.parseBoolean(System.getProperty("awa.claimWatermark", "true"));

  /**
   * Whether runners are started by {@link #runnersWanted} ({@code -Dawa.runnerShares}, default
   * true); false starts one per buffered attempt, the shape before adr/0007's fifth pass (A/B
   * only).
   */
  private final boolean runnerShares =
      Boolean.parseBoolean(System.getProperty("awa.runnerShares", "true"));

  /** Smallest key of the last full claim; null: the next claim covers the whole queue. */
  private volatile ClaimKey mark;

  /** When the last claim over the whole queue started (nanoTime). */
  private volatile long wholeQueueClaimedAt;

  /** The last claim came back full: more work is waiting, so the helper claimers join in. */
  private volatile boolean backlog;

  /** Moving average of recent handler durations (ns); 0 until the first handler finished. */
  private volatile double handlerNanos;

  /** Claim statements run and jobs they returned, for diagnostics and the throughput measure. */
  final LongAdder claimStatements = new LongAdder();

  final LongAdder claimedJobs = new LongAdder();
  final LongAdder claimNanos = new LongAdder();

  /** Claims that started at the watermark, and those of them that came back short. */
  final LongAdder markClaims = new LongAdder();

  final LongAdder shortMarkClaims = new LongAdder();

  /** Buffered attempts handed back because they waited longer than the wait limit. */
  final LongAdder overdue = new LongAdder();

  QueueProducer(
      QueueConfig queue,
      AwaClient client,
      JobExecutor executor,
      Executor threads,
      int batchSize,
      int claimAhead,
      Duration pollInterval,
      Duration backstopInterval,
      BooleanSupplier listening,
      Semaphore claimConnections,
      int claimLoops,
      String workerId) {
    this.queue = queue;
    this.client = client;
    this.executor = executor;
    this.threads = threads;
    this.batchSize = batchSize;
    this.claimAhead = claimAhead;
    this.pollInterval = pollInterval;
    this.backstopInterval = backstopInterval;
    this.listening = listening;
    this.claimConnections = claimConnections;
    this.workerId = workerId;
    this.capacity = queue.concurrency() + claimAhead;
    // Not 0: nanoTime may be negative, and the watch compares differences only.
    this.lastTakeNanos = System.nanoTime();
    this.free = new AtomicInteger(capacity);
    this.ackBudget = new Semaphore(capacity);
    Duration limit = waitLimit(queue.deadline());
    this.claimDeadline = claimAhead > 0 ? queue.deadline().plus(limit) : queue.deadline();
    this.waitLimitNanos = limit.toNanos();
    this.claimers = new Thread[claimLoops];
    this.wantFree = new AtomicIntegerArray(claimLoops);
    for (int i = 0; i < claimLoops; i++) {
      int index = i;
      boolean primary = i == 0;
      wantFree.set(i, Integer.MAX_VALUE);
      claimers[i] =
          DaemonThreads.thread(
              "awa-producer-" + queue.name() + (primary ? "" : "-" + (i + 1)),
              () -> claimLoop(index));
    }
  }

  /** How long a buffered attempt may wait: {@link #MAX_BUFFER_WAIT}, or the deadline if shorter. */
  static Duration waitLimit(Duration deadline) {
    return deadline.compareTo(MAX_BUFFER_WAIT) < 0 ? deadline : MAX_BUFFER_WAIT;
  }

  void start() {
    for (Thread t : claimers) {
      t.start();
    }
  }

  QueueConfig config() {
    return queue;
  }

  /** Claims promptly: a notification arrived, or the listener came back and polls once. */
  void wake() {
    wakeRequested = true;
    LockSupport.unpark(claimers[0]);
  }

  /** Stops claiming and waits for the loop to leave; in-flight attempts keep running. */
  void stopClaiming() throws InterruptedException {
    claiming = false;
    unparkAll();
    for (Thread t : claimers) {
      t.join(30_000);
    }
  }

  /** Capacity in use: running, buffered, or awaiting an ack beyond the ack budget. */
  int busySlots() {
    return capacity - free.get();
  }

  /** Attempts claimed and waiting in the buffer for a handler. */
  int bufferedCount() {
    return readyCount.get();
  }

  /**
   * Takes every buffered attempt out of the buffer (shutdown hands them back before it waits for
   * the running ones); each attempt is taken by exactly one of this and the runners.
   */
  List<JobRun> takeBuffered() {
    List<JobRun> out = new ArrayList<>();
    for (JobRun r; (r = ready.poll()) != null; ) {
      readyCount.decrementAndGet();
      out.add(r);
    }
    return out;
  }

  /** Removes one buffered attempt (it was cancelled); false when a runner already took it. */
  boolean removeBuffered(JobRun run) {
    if (ready.remove(run)) {
      readyCount.decrementAndGet();
      return true;
    }
    return false;
  }

  private void releaseOne() {
    int f = free.incrementAndGet();
    for (int i = 0; i < claimers.length; i++) {
      if (f >= wantFree.get(i)) {
        LockSupport.unpark(claimers[i]);
      }
    }
  }

  private void unparkWaiting() {
    for (int i = 0; i < claimers.length; i++) {
      if (wantFree.get(i) != Integer.MAX_VALUE) {
        LockSupport.unpark(claimers[i]);
      }
    }
  }

  private void unparkAll() {
    for (Thread t : claimers) {
      LockSupport.unpark(t);
    }
  }

  /**
   * One claim loop. The primary one answers notifications and polls; the helpers claim only while
   * the last claim came back full, so with a backlog several claims are in flight (PostgreSQL works
   * each on its own backend) and an idle queue costs one poll.
   */
  private void claimLoop(int index) {
    boolean primary = index == 0;
    long idleSince = 0;
    while (claiming) {
      if (!primary && !backlog) {
        LockSupport.parkNanos(this, SLOT_WAIT_NANOS);
        continue;
      }
      int limit = queue.concurrency() + ahead();
      int threshold = backlog ? Math.max(1, Math.min(batchSize, limit / (2 * claimers.length))) : 1;
      boolean slotIdle = readyCount.get() == 0 && runners.get() < queue.concurrency();
      long now = System.nanoTime();
      if (slotIdle && capacity - free.get() < limit) {
        if (idleSince == 0) {
          idleSince = now;
        }
      } else {
        idleSince = 0;
      }
      boolean gathered = idleSince != 0 && now - idleSince >= GATHER_NANOS;
      int n = reserve(limit, gathered ? 1 : threshold);
      if (n > 0) {
        idleSince = 0;
        int claimed = claim(n);
        boolean full = claimed == n;
        if (full != backlog) {
          backlog = full;
          if (full) {
            unparkAll();
          }
        }
        if (!full && primary && claiming) {
          awaitWake();
        }
        continue;
      }
      long park = idleSince != 0 ? GATHER_NANOS - (now - idleSince) : SLOT_WAIT_NANOS;
      awaitCapacity(index, capacity - limit + threshold, park);
    }
  }

  /**
   * Takes room for one claim out of the free capacity: as much as the target {@code limit} leaves
   * (at most a batch), or nothing when that is less than {@code atLeast}.
   */
  private int reserve(int limit, int atLeast) {
    while (true) {
      int f = free.get();
      int room = Math.min(batchSize, limit - (capacity - f));
      if (room < atLeast) {
        return 0;
      }
      if (free.compareAndSet(f, f - room)) {
        return room;
      }
    }
  }

  /**
   * How many attempts to hold beyond the handler slots: as many as the handlers start within {@link
   * #AHEAD_WINDOW} at their recent average duration ({@code window × concurrency / duration}), at
   * most {@code claimAhead}; none before a handler of this queue has finished.
   */
  private int ahead() {
    double d = handlerNanos;
    if (claimAhead == 0 || d <= 0) {
      return 0;
    }
    return (int) Math.min(claimAhead, Math.floor(AHEAD_WINDOW_NANOS * queue.concurrency() / d));
  }

  /** Folds one handler duration into the average (racy updates only lose a sample). */
  private void recordDuration(long nanos) {
    double d = handlerNanos;
    handlerNanos = d <= 0 ? nanos : d + (nanos - d) / 8;
  }

  private void awaitCapacity(int index, int freeWanted, long nanos) {
    wantFree.set(index, freeWanted);
    try {
      if (free.get() < freeWanted && claiming) {
        LockSupport.parkNanos(this, Math.max(1, watchCap(nanos)));
      }
    } finally {
      wantFree.set(index, Integer.MAX_VALUE);
    }
    watchRunners();
  }

  /**
   * Where the next claim starts: the watermark, or null (the whole queue) when there is none or the
   * last claim over the whole queue is {@link #WATERMARK_RESET} ago.
   */
  private ClaimKey claimFrom(long now) {
    ClaimKey m = mark;
    if (m == null || now - wholeQueueClaimedAt >= WATERMARK_RESET_NANOS) {
      return null;
    }
    return m;
  }

  /** The next claim covers the whole queue (jobs may be available behind the watermark). */
  private void resetMark() {
    mark = null;
  }

  /**
   * Runs one claim of up to {@code n} jobs, from the watermark when there is one. A bounded claim
   * that comes back short claims the rest over the whole queue at once, so a short result always
   * means the whole queue had no more. Sets the watermark from a full result.
   */
  private List<JobRow> claimRows(int n, long startedNanos) {
    ClaimKey from = watermark ? claimFrom(startedNanos) : null;
    if (from == null) {
      wholeQueueClaimedAt = startedNanos;
    }
    List<JobRow> jobs;
    try {
      jobs = client.leases().claim(queue.name(), n, claimDeadline, workerId, from);
      claimStatements.increment();
      if (from != null) {
        markClaims.increment();
        if (jobs.size() < n) {
          shortMarkClaims.increment();
          resetMark();
          wholeQueueClaimedAt = System.nanoTime();
          List<JobRow> rest;
          try {
            rest =
                client.leases().claim(queue.name(), n - jobs.size(), claimDeadline, workerId, null);
            claimStatements.increment();
          } catch (RuntimeException e) {
            // The bounded claim's rows are leased to this runtime already: keep and run them.
            log.warn(
                "claim on queue '{}' failed; running the jobs claimed before", queue.name(), e);
            return jobs;
          }
          if (!rest.isEmpty()) {
            List<JobRow> all = new ArrayList<>(jobs.size() + rest.size());
            all.addAll(rest);
            all.addAll(jobs);
            all.sort(ClaimOrder.INSTANCE);
            jobs = all;
          }
        }
      }
    } catch (RuntimeException e) {
      resetMark();
      throw e;
    }
    if (watermark) {
      // Rows are in claim order: the first is the smallest key.
      mark = jobs.size() == n ? ClaimKey.of(jobs.get(0)) : null;
    }
    return jobs;
  }

  /** Claims up to {@code n} jobs into the buffer; the room for them is already reserved. */
  private int claim(int n) {
    wakeRequested = false;
    List<JobRow> jobs;
    long claimedNanos = System.nanoTime();
    boolean permit = false;
    try {
      if (claimConnections != null) {
        claimConnections.acquireUninterruptibly();
        permit = true;
      }
      jobs = claimRows(n, claimedNanos);
      claimedJobs.add(jobs.size());
      claimNanos.add(System.nanoTime() - claimedNanos);
    } catch (RuntimeException e) {
      free.addAndGet(n);
      if (!claimFailing) {
        claimFailing = true;
        log.warn("claim on queue '{}' failed; retrying every poll interval", queue.name(), e);
      }
      return 0;
    } finally {
      if (permit) {
        claimConnections.release();
      }
    }
    if (claimFailing) {
      claimFailing = false;
      log.info("claims on queue '{}' succeed again", queue.name());
    }
    free.addAndGet(n - jobs.size());
    for (JobRow job : jobs) {
      ready.add(executor.prepare(job, queue.deadline(), claimedNanos, this::releaseOne, ackBudget));
      readyCount.incrementAndGet();
    }
    startRunners();
    return jobs.size();
  }

  /**
   * Starts runners until as many run as the buffer needs ({@link #runnersWanted}); a runner that
   * finds more work behind the job it took calls this again.
   */
  private void startRunners() {
    int wanted = runnersWanted(readyCount.get());
    while (runners.get() < wanted && addRunner()) {
      startRunner();
    }
  }

  /**
   * The claim loop's check while it waits: when attempts are buffered but no runner has taken one
   * for {@link #RUNNER_WATCH_NANOS} (the runners are held by handlers far longer than the average
   * the estimate used), one more runner starts. So a job never waits behind a long handler for more
   * than about that long while a slot is free.
   */
  private void watchRunners() {
    if (runnerShares
        && readyCount.get() > 0
        && System.nanoTime() - lastTakeNanos > RUNNER_WATCH_NANOS
        && addRunner()) {
      lastTakeNanos = System.nanoTime();
      startRunner();
    }
  }

  /**
   * How long a claim loop parks at most while attempts are buffered, to run {@link #watchRunners}.
   */
  private long watchCap(long nanos) {
    return runnerShares && readyCount.get() > 0 ? Math.min(nanos, RUNNER_WATCH_NANOS) : nanos;
  }

  /**
   * How many runners the buffered attempts need: enough that each has about {@link
   * #RUNNER_SHARE_NANOS} of work at the handlers' recent average duration, at least one while
   * anything is buffered, at most one per attempt (and the concurrency, which {@link #addRunner}
   * enforces). Before a handler has finished, one per attempt. Waking a pooled thread costs tens of
   * microseconds on the waker and the woken core alike, so short handlers run on a few busy runners
   * instead of waking one thread per job (adr/0007 "Fifth pass"); a handler far longer than the
   * average is covered by {@link #watchRunners}.
   */
  private int runnersWanted(int buffered) {
    double d = handlerNanos;
    if (buffered <= 0 || !runnerShares || d <= 0) {
      return buffered;
    }
    double share = Math.ceil(buffered * d / RUNNER_SHARE_NANOS);
    return (int) Math.max(1, Math.min(buffered, share));
  }

  private boolean addRunner() {
    while (true) {
      int r = runners.get();
      if (r >= queue.concurrency()) {
        return false;
      }
      if (runners.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  private void startRunner() {
    try {
      threads.execute(this::runBuffered);
    } catch (RejectedExecutionException e) {
      if (runners.decrementAndGet() == 0) {
        List<JobRun> refused = takeBuffered();
        log.warn(
            "executor refused to run jobs of queue '{}'; handing {} back",
            queue.name(),
            refused.size());
        resetMark();
        executor.handBack(refused);
      }
    }
  }

  /** One runner: takes buffered attempts one after another until the buffer is empty. */
  private void runBuffered() {
    while (true) {
      JobRun run = ready.poll();
      if (run == null) {
        runners.decrementAndGet();
        // A job added between the poll and the decrement found every runner busy: take it.
        if (readyCount.get() == 0 || !addRunner()) {
          unparkWaiting(); // a slot went idle: a claim loop waiting for capacity may claim for it
          return;
        }
        continue;
      }
      lastTakeNanos = System.nanoTime();
      if (readyCount.decrementAndGet() > 0) {
        startRunners();
      }
      if (run.isCancelled()) {
        // Its lease is gone (an operator cancel or a rescue): nothing to run or write.
        executor.drop(run);
      } else if (claimAhead > 0 && System.nanoTime() - run.claimedNanos() > waitLimitNanos) {
        overdue.increment();
        resetMark(); // the job is available again behind the watermark
        log.debug(
            "job {} waited in the buffer beyond {}; handing it back", run.id(), MAX_BUFFER_WAIT);
        executor.handBack(List.of(run));
      } else {
        long t0 = System.nanoTime();
        executor.run(run);
        recordDuration(System.nanoTime() - t0);
      }
    }
  }

  private void awaitWake() {
    resetMark(); // claims after idle cover the whole queue
    Duration interval = listening.getAsBoolean() ? backstopInterval : pollInterval;
    long until = System.nanoTime() + interval.toNanos();
    while (claiming && !wakeRequested) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(this, watchCap(left));
      watchRunners();
    }
    wakeRequested = false;
  }
}
