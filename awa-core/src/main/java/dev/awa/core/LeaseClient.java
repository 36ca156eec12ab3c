package dev.awa.core;

import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.LeaseSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The lease protocol, for anyone running their own worker loop: claim due jobs, then write each
 * attempt's outcome under its lease. Get it from {@link AwaClient#leases()}; thread-safe.
 *
 * <p>Every outcome write is fenced by the attempt's lease ({@link JobRow#lease()} of the row the
 * claim returned): when the lease no longer holds (the job was rescued, cancelled or claimed again)
 * the call returns {@link LeaseOutcome#STALE} or leaves the id out of its result, and changes
 * nothing.
 *
 * <p><b>Telemetry.</b> This is the one layer that reports the lease protocol to the client's {@link
 * AwaListener}, for the worker runtime and for a user's loop alike: {@code claim} fires {@link
 * AwaListener#onClaimed}; an applied {@code complete} fires {@link AwaListener#onCompleted} and
 * {@link AwaListener#onAcknowledged}; applied {@code retry}, {@code snooze}, {@code fail} and
 * {@code cancel} fire {@code onRetried}, {@code onSnoozed}, {@code onFailed} and {@code
 * onCancelled}. A stale write fires nothing. The runtime passes the handler time it measured; a
 * user's loop reports the attempt's age instead: from its {@link JobRow#attemptedAt()} (stamped by
 * the claim on the database clock) to the call, never negative.
 *
 * <p><b>Clock.</b> Whether another attempt is due at once or scheduled for later is decided by the
 * database clock, as for enqueue.
 */
public final class LeaseClient {
  /**
   * Whether claims write their limit into the statement text (default) so PostgreSQL can reuse one
   * plan per limit; {@code -Dawa.claimLiteralLimit=false} binds it instead, for A/B measurements
   * (adr/0007, "Second pass").
   */
  private final boolean literalClaimLimit =
      Boolean.parseBoolean(System.getProperty("awa.claimLiteralLimit", "true"));

  private final DataSource dataSource;
  private final AwaListener listener;

  LeaseClient(DataSource dataSource, AwaListener listener) {
    this.dataSource = dataSource;
    this.listener = listener;
  }

  // ---------------------------------------------------------------- claim

  /**
   * Claims up to {@code limit} due jobs of {@code queue} in claim order (priority, run-at, id),
   * skipping rows other workers hold. Each claimed job is running with a new lease and a deadline
   * {@code deadline} from now. A paused queue yields nothing.
   *
   * @throws InvalidArgumentException naming {@code queue}, {@code limit}, {@code deadline} or
   *     {@code workerId} when it is out of range or holds text PostgreSQL cannot store
   */
  public List<JobRow> claim(String queue, int limit, Duration deadline, String workerId) {
    return claim(queue, limit, deadline, workerId, null);
  }

  /**
   * As {@link #claim(String, int, Duration, String)}, only rows at or after {@code from} in claim
   * order (null: the whole queue). The runtime's bounded claim (adr/0007 "Third pass").
   */
  List<JobRow> claim(
      String queue, int limit, Duration deadline, String workerId, LeaseSql.ClaimKey from) {
    Arguments.queue("queue", queue);
    if (limit < 1 || limit > 10_000) {
      throw new InvalidArgumentException("limit", "must be between 1 and 10000, was " + limit);
    }
    Arguments.positive("deadline", deadline);
    Arguments.text("workerId", workerId);
    LeaseSql.ClaimRequest request =
        new LeaseSql.ClaimRequest(queue, limit, deadline.toMillis(), workerId, from);
    List<JobRow> claimed =
        Jdbc.withConnection(
            dataSource, "claim", c -> LeaseSql.claim(c, request, literalClaimLimit));
    claimed.sort(ClaimOrder.INSTANCE);
    for (JobRow job : claimed) {
      Duration wait = Duration.between(job.runAt(), job.attemptedAt());
      safely(() -> listener.onClaimed(job, wait.isNegative() ? Duration.ZERO : wait));
    }
    return claimed;
  }

  // ---------------------------------------------------------------- outcomes (user loop)

  /** Completes the attempt {@code job} was claimed for. */
  public LeaseOutcome complete(JobRow job) {
    return completeAttempt(attempt("job", job));
  }

  /**
   * Completes many attempts in one statement.
   *
   * @return the ids that were completed; the others were stale and are unchanged
   */
  public Set<Long> completeMany(Collection<JobRow> jobs) {
    return completeAttempts(attempts(jobs));
  }

  /**
   * Schedules another attempt at {@code runAt}, recording {@code error}: available at once when
   * {@code runAt} is not after the database's {@code now()}, else scheduled. The caller decides
   * whether attempts remain; see {@link JobRow#maxAttempts()}.
   *
   * @throws InvalidArgumentException if an argument is null or {@code runAt} is outside
   *     PostgreSQL's timestamp range
   */
  public LeaseOutcome retry(JobRow job, Instant runAt, JobError error) {
    return retryAttempt(attempt("job", job), runAt, error);
  }

  /**
   * Puts the job back for {@code delay} (from the database's {@code now()}) without counting the
   * attempt; zero makes it available at once.
   */
  public LeaseOutcome snooze(JobRow job, Duration delay) {
    return snoozeAttempt(attempt("job", job), delay);
  }

  /** Fails the job for good, recording {@code error}. */
  public LeaseOutcome fail(JobRow job, JobError error) {
    return failAttempt(attempt("job", job), error);
  }

  /** Cancels the job from its own handler, recording {@code reason} against its attempt. */
  public LeaseOutcome cancel(JobRow job, String reason) {
    return cancelAttempt(attempt("job", job), reason);
  }

  /**
   * Records a heartbeat for every attempt in one statement.
   *
   * @return the ids still leased; an id missing from the result was rescued or cancelled
   */
  public Set<Long> heartbeat(Collection<JobRow> jobs) {
    return leaseBatch("heartbeat", jobs, Function.identity(), LeaseSql::heartbeatMany);
  }

  /**
   * Makes unfinished attempts available again at once without counting them (graceful shutdown).
   *
   * @return the ids handed back
   */
  public Set<Long> handBack(Collection<JobRow> jobs) {
    return leaseBatch("handBack", jobs, Function.identity(), LeaseSql::handBack);
  }

  /**
   * Gives the running attempt a callback id that an external system can resolve within {@code
   * timeout} ({@link AwaClient#callbacks()}). Register before handing the id out.
   *
   * @return the callback id, or empty when the lease is stale
   */
  public Optional<UUID> registerCallback(JobRow job, Duration timeout) {
    Arguments.notNull("job", job);
    Arguments.positive("timeout", timeout);
    UUID id = UUID.randomUUID();
    JobLease lease = job.lease();
    boolean applied =
        Jdbc.withConnection(
            dataSource,
            "registerCallback",
            c -> LeaseSql.registerCallback(c, lease, id, timeout.toMillis()));
    return applied ? Optional.of(id) : Optional.empty();
  }

  /** Parks a running attempt that registered a callback, freeing its worker slot. */
  public LeaseOutcome parkForCallback(JobRow job) {
    JobLease lease = Arguments.notNull("job", job).lease();
    return outcome(
        Jdbc.withConnection(
            dataSource, "parkForCallback", c -> LeaseSql.parkForCallback(c, lease)));
  }

  // ---------------------------------------------------------------- outcomes (runtime)

  /**
   * One attempt whose outcome is written: its row, how long its handler ran, and when the handler
   * returned ({@link System#nanoTime()}; the ack latency runs from there to the applied write).
   */
  interface Attempt {
    JobRow job();

    Duration handlerDuration();

    long finishedNanos();
  }

  /** An attempt of a user's loop: its handler time is its age, its ack starts at the call. */
  private record UserAttempt(JobRow job, Duration handlerDuration, long finishedNanos)
      implements Attempt {}

  private static Attempt attempt(String name, JobRow job) {
    Arguments.notNull(name, job);
    Instant started = job.attemptedAt();
    Duration age = started == null ? Duration.ZERO : Duration.between(started, Instant.now());
    return new UserAttempt(job, age.isNegative() ? Duration.ZERO : age, System.nanoTime());
  }

  private static List<Attempt> attempts(Collection<JobRow> jobs) {
    Arguments.notNull("jobs", jobs);
    List<Attempt> out = new ArrayList<>(jobs.size());
    int i = 0;
    for (JobRow job : jobs) {
      out.add(attempt("jobs[" + i++ + "]", job));
    }
    return out;
  }

  LeaseOutcome completeAttempt(Attempt a) {
    JobLease lease = a.job().lease();
    boolean applied = Jdbc.withConnection(dataSource, "complete", c -> LeaseSql.complete(c, lease));
    if (applied) {
      completed(a);
    }
    return outcome(applied);
  }

  Set<Long> completeAttempts(List<? extends Attempt> attempts) {
    Set<Long> done = leaseBatch("completeMany", attempts, Attempt::job, LeaseSql::completeMany);
    for (Attempt a : attempts) {
      if (done.contains(a.job().id())) {
        completed(a);
      }
    }
    return done;
  }

  private void completed(Attempt a) {
    long returned = a.finishedNanos();
    Duration ack = Duration.ofNanos(returned == 0 ? 0 : System.nanoTime() - returned);
    safely(() -> listener.onCompleted(a.job(), a.handlerDuration()));
    safely(() -> listener.onAcknowledged(a.job(), ack));
  }

  LeaseOutcome retryAttempt(Attempt a, Instant runAt, JobError error) {
    Arguments.instant("runAt", runAt);
    String errors = Json.errorArray(Arguments.notNull("error", error));
    return write(a, "retry", (c, l) -> LeaseSql.retry(c, l, runAt, errors), listener::onRetried);
  }

  LeaseOutcome snoozeAttempt(Attempt a, Duration delay) {
    long millis = Arguments.nonNegative("delay", delay).toMillis();
    return write(a, "snooze", (c, l) -> LeaseSql.snooze(c, l, millis), listener::onSnoozed);
  }

  LeaseOutcome failAttempt(Attempt a, JobError error) {
    String errors = Json.errorArray(Arguments.notNull("error", error));
    return write(a, "fail", (c, l) -> LeaseSql.fail(c, l, errors), listener::onFailed);
  }

  LeaseOutcome cancelAttempt(Attempt a, String reason) {
    JobError entry = new JobError(a.job().attempt(), Instant.now(), "cancelled", reason);
    String errors = Json.errorArray(entry);
    return write(a, "cancel", (c, l) -> LeaseSql.cancel(c, l, errors), listener::onCancelled);
  }

  /** One fenced write of an attempt's outcome. */
  @FunctionalInterface
  private interface LeaseWrite {
    boolean run(Connection c, JobLease lease) throws SQLException;
  }

  /** Runs {@code statement} under the attempt's lease and reports {@code event} when applied. */
  private LeaseOutcome write(
      Attempt a, String op, LeaseWrite statement, BiConsumer<JobRow, Duration> event) {
    JobLease lease = a.job().lease();
    boolean applied = Jdbc.withConnection(dataSource, op, c -> statement.run(c, lease));
    if (applied) {
      safely(() -> event.accept(a.job(), a.handlerDuration()));
    }
    return outcome(applied);
  }

  // ---------------------------------------------------------------- plumbing

  /** One batch statement over parallel id and lease arrays. */
  @FunctionalInterface
  private interface LeaseBatch {
    Set<Long> run(Connection c, long[] ids, long[] leases) throws SQLException;
  }

  private static LeaseOutcome outcome(boolean applied) {
    return applied ? LeaseOutcome.APPLIED : LeaseOutcome.STALE;
  }

  private <T> Set<Long> leaseBatch(
      String op, Collection<T> items, Function<T, JobRow> row, LeaseBatch statement) {
    if (Arguments.notNull("jobs", items).isEmpty()) {
      return Set.of();
    }
    long[] ids = new long[items.size()];
    long[] runLeases = new long[items.size()];
    int i = 0;
    for (T item : items) {
      JobRow job = Arguments.notNull("jobs[" + i + "]", item == null ? null : row.apply(item));
      ids[i] = job.id();
      runLeases[i++] = job.runLease();
    }
    return Jdbc.withConnection(dataSource, op, c -> statement.run(c, ids, runLeases));
  }

  private void safely(Runnable r) {
    SafeCall.run(listener, r);
  }
}
