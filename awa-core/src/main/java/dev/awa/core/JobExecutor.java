package dev.awa.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed attempts: arms the deadline timer, calls the kind's {@link Worker} on a worker
 * thread, and turns its result (or exception) into the fenced write. Completions go to the {@link
 * Completer} (batched); every other outcome is written at once on the worker thread. A write that
 * finds the lease gone ({@link LeaseOutcome#STALE}) is logged at debug and dropped.
 */
final class JobExecutor {
  private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

  private final AwaClient client;
  private final LeaseClient leases;
  private final AwaListener listener;
  private final Map<String, Worker> workers;
  private final RetryPolicy retryPolicy;
  private final UnknownKindPolicy unknownKinds;
  private final InFlightJobs inFlight;
  private final Completer completer;
  private final ScheduledExecutorService timer;
  private final String instanceId;

  JobExecutor(
      AwaClient client,
      Map<String, Worker> workers,
      RetryPolicy retryPolicy,
      UnknownKindPolicy unknownKinds,
      InFlightJobs inFlight,
      Completer completer,
      ScheduledExecutorService timer,
      String instanceId) {
    this.client = client;
    this.leases = client.leases();
    this.listener = client.listener();
    this.workers = Map.copyOf(workers);
    this.retryPolicy = retryPolicy;
    this.unknownKinds = unknownKinds;
    this.inFlight = inFlight;
    this.completer = completer;
    this.timer = timer;
    this.instanceId = instanceId;
  }

  /**
   * Registers one claimed attempt in flight (heartbeats and cancels reach it from now on, while it
   * waits in the claim-ahead buffer too); {@code releaseSlot} runs exactly once, when the attempt
   * no longer occupies the queue's capacity.
   */
  JobRun prepare(
      JobRow job, Duration deadline, long claimedNanos, Runnable releaseSlot, Semaphore ackBudget) {
    JobRun run = new JobRun(job, client, deadline, claimedNanos, ackBudget);
    run.holdSlot(releaseSlot);
    inFlight.add(run);
    return run;
  }

  /**
   * Runs a prepared attempt on the calling thread: starts its deadline (from now, not from the
   * claim), arms the timer, calls the handler and writes or hands over its outcome.
   */
  void run(JobRun run) {
    run.startDeadline();
    long delay = run.deadlineNanos() - System.nanoTime();
    run.armDeadline(timer.schedule(run::expireDeadline, Math.max(0, delay), TimeUnit.NANOSECONDS));
    runAndRelease(run);
  }

  /** Forgets an attempt that never started and whose lease is gone, and frees what it holds. */
  void drop(JobRun run) {
    inFlight.remove(run);
    run.releaseSlot();
    reportIfCancelled(run);
  }

  /** Fires {@code onCancelled} once for an attempt an operator cancelled, when it ends here. */
  void reportIfCancelled(JobRun run) {
    if (run.takeCancelReport()) {
      Listeners.safely(() -> listener.onCancelled(run.job(), run.handlerDuration()));
    }
  }

  /**
   * Hands attempts that never started back (available again at once, attempt not counted), {@value
   * Heartbeater#BATCH} per statement, and frees what they hold. A failed hand-back leaves the rows
   * to the heartbeat rescue.
   */
  void handBack(List<JobRun> runs) {
    for (int from = 0; from < runs.size(); from += Heartbeater.BATCH) {
      List<JobRun> batch = runs.subList(from, Math.min(runs.size(), from + Heartbeater.BATCH));
      List<JobRow> rows = new ArrayList<>(batch.size());
      batch.forEach(r -> rows.add(r.job()));
      try {
        int n = leases.handBack(rows).size();
        log.info("handed back {} unfinished jobs", n);
      } catch (RuntimeException e) {
        log.warn(
            "hand-back of {} jobs failed; the heartbeat rescue will free them", batch.size(), e);
      }
      for (JobRun r : batch) {
        inFlight.remove(r);
        r.releaseSlot();
      }
    }
  }

  private void runAndRelease(JobRun run) {
    boolean handedToCompleter = false;
    try {
      handedToCompleter = execute(run);
    } catch (RuntimeException | Error e) {
      log.error("unexpected failure running job {}", run.id(), e);
      inFlight.remove(run);
    } finally {
      if (!handedToCompleter) {
        run.releaseSlot();
      }
    }
  }

  /** Runs the handler and writes its outcome; true when the completer now owns the slot. */
  private boolean execute(JobRun run) {
    run.startedNanos = System.nanoTime();
    run.handlerStarted(Thread.currentThread());
    JobResult result = null;
    Throwable error = null;
    try {
      if (run.deadlineExceeded()) {
        error = new TimeoutException("deadline passed before the job started");
      } else if (run.isCancelled()) {
        error = new CancellationException(run.cancelReason());
      } else {
        Worker worker = workers.get(run.kind());
        if (worker == null) {
          run.handlerFinished();
          unknownKind(run);
          return false;
        }
        Listeners.safely(() -> listener.onStarted(run.job()));
        result = worker.perform(run);
      }
    } catch (Throwable t) { // NOPMD: every handler failure is a retryable error
      if (t instanceof VirtualMachineError) {
        run.handlerFinished();
        throw (VirtualMachineError) t;
      }
      error = t;
    } finally {
      run.handlerFinished();
    }
    return apply(run, result, error);
  }

  private boolean apply(JobRun run, JobResult result, Throwable error) {
    JobRow job = run.job();
    int attempt = job.attempt();
    try {
      if (error != null) {
        JobError entry =
            run.deadlineExceeded()
                ? new JobError(
                    attempt,
                    Instant.now(),
                    "awa.deadline_exceeded",
                    "attempt ran past its deadline: " + error)
                : JobError.of(attempt, error);
        if (run.isCancelled() && !run.deadlineExceeded()) {
          log.debug("job {} ended after it was cancelled ({})", run.id(), run.cancelReason());
        }
        retryOrFail(run, entry, () -> retryPolicy.backoff(attempt));
      } else if (result == null || result instanceof JobResult.Completed) {
        run.awaitingAck();
        completer.submit(run);
        return true; // the completer frees what the attempt holds once acknowledged
      } else if (result instanceof JobResult.Retry r) {
        retryOrFail(
            run, new JobError(attempt, Instant.now(), "awa.retry_requested", r.reason()), r::delay);
      } else if (result instanceof JobResult.Snooze s) {
        written(run, "snooze", leases.snoozeAttempt(run, s.delay()));
      } else if (result instanceof JobResult.Cancel c) {
        written(run, "cancel", leases.cancelAttempt(run, c.reason()));
      } else if (result instanceof JobResult.Fail f) {
        JobError entry = new JobError(attempt, Instant.now(), "awa.failed_by_handler", f.message());
        written(run, "fail", leases.failAttempt(run, entry));
      } else if (result instanceof JobResult.WaitForCallback) {
        if (run.callbackId() == null) {
          JobError entry =
              new JobError(
                  attempt,
                  Instant.now(),
                  "awa.no_callback",
                  "handler returned waitForCallback() without registerCallback()");
          retryOrFail(run, entry, () -> retryPolicy.backoff(attempt));
        } else {
          written(run, "park", leases.parkForCallback(job));
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not record the outcome of job {}; the heartbeat rescue will run it again",
          run.id(),
          e);
    }
    inFlight.remove(run);
    return false;
  }

  private void unknownKind(JobRun run) {
    JobRow job = run.job();
    JobError entry =
        new JobError(
            job.attempt(),
            Instant.now(),
            "awa.unknown_kind",
            "no worker registered for kind '" + job.kind() + "' in runtime " + instanceId);
    log.warn("job {}: no worker registered for kind '{}' ({})", job.id(), job.kind(), unknownKinds);
    try {
      if (unknownKinds == UnknownKindPolicy.FAIL) {
        written(run, "fail", leases.failAttempt(run, entry));
      } else {
        retryOrFail(run, entry, () -> retryPolicy.backoff(job.attempt()));
      }
    } catch (RuntimeException e) {
      log.warn("could not record the outcome of job {}", run.id(), e);
    }
    inFlight.remove(run);
  }

  private void retryOrFail(JobRun run, JobError entry, Supplier<Duration> delay) {
    // The policy is asked only when another attempt follows.
    JobRow job = run.job();
    if (job.attempt() >= job.maxAttempts()) {
      written(run, "fail", leases.failAttempt(run, entry));
    } else {
      written(run, "retry", leases.retryAttempt(run, Instant.now().plus(delay.get()), entry));
    }
  }

  private boolean written(JobRun run, String op, LeaseOutcome outcome) {
    if (outcome == LeaseOutcome.STALE) {
      reportIfCancelled(run);
      log.debug(
          "{} of job {} was stale (lease lost: {}); dropped", op, run.id(), run.cancelReason());
      return false;
    }
    return true;
  }
}
