package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every unique scope under concurrency, on every enqueue path, and what does not collide. */
@AwaTest
class UniqueScopesTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 20;
  // A fixed hour well in the future: period jobs are scheduled, and their buckets are exact.
  private static final Instant BASE = Instant.parse("2031-05-05T10:00:00Z");

  private final TestDatabase db;
  private final AwaClient awa;

  UniqueScopesTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  /** A scope under test: the job thread {@code t} enqueues in round {@code r}. */
  record Scope(String name, BiFunction<Integer, Integer, NewJob> job) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scope> scopes() {
    return Stream.of(
        new Scope(
            "kind + key (default)",
            (r, t) -> NewJob.builder("report").queue("q" + t).uniqueKey("k-" + r).build()),
        new Scope(
            "kind only",
            (r, t) -> NewJob.builder("refresh-" + r).args(Map.of("t", t)).unique(kind()).build()),
        new Scope(
            "kind + queue",
            (r, t) ->
                NewJob.builder("report")
                    .queue("q" + r)
                    .args(Map.of("t", t))
                    .unique(UniqueOptions.builder().byQueue().build())
                    .build()),
        new Scope(
            "kind + args",
            (r, t) ->
                NewJob.builder("charge")
                    .args(Map.of("order", r, "amount", 10))
                    .unique(UniqueOptions.builder().byArgs().build())
                    .build()),
        new Scope(
            "kind + some arg fields",
            (r, t) ->
                NewJob.builder("charge")
                    .args(Map.of("order", r, "requestId", "thread-" + t))
                    .unique(UniqueOptions.builder().byArgs("order").build())
                    .build()),
        new Scope(
            "kind + period (scheduled)",
            (r, t) ->
                NewJob.builder("digest")
                    .runAt(BASE.plus(Duration.ofHours(r)).plusSeconds(t))
                    .unique(UniqueOptions.builder().byPeriod(Duration.ofHours(1)).build())
                    .build()),
        new Scope(
            "key across kinds (byKind false)",
            (r, t) ->
                NewJob.builder("kind-" + t)
                    .uniqueKey("g-" + r)
                    .unique(UniqueOptions.builder().byKind(false).build())
                    .build()));
  }

  private static UniqueOptions kind() {
    return UniqueOptions.BY_KIND;
  }

  private long rows() {
    return db.queryLong(
        "SELECT (SELECT count(*) FROM awa.jobs) + (SELECT count(*) FROM awa.scheduled_jobs)");
  }

  /** Runs {@code attempt(thread)} on 8 threads released together; returns what each produced. */
  private List<Object> race(java.util.function.IntFunction<Object> attempt) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<Object>> fs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      fs.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return attempt.apply(thread);
                } catch (DuplicateJobException e) {
                  return e;
                }
              }));
    }
    start.countDown();
    try {
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  private static void exactlyOneWinner(List<Object> outcomes, long winnerId) {
    assertThat(outcomes.stream().filter(o -> o instanceof DuplicateJobException))
        .hasSize(THREADS - 1)
        .allSatisfy(
            e -> assertThat(((DuplicateJobException) e).existingJobId()).isEqualTo(winnerId));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void eightThreadsEnqueueingTheSameScopeMakeExactlyOneRow(Scope scope) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      int r = round;
      List<Object> outcomes = race(t -> awa.enqueue(scope.job().apply(r, t)));
      List<JobRow> won =
          outcomes.stream().filter(JobRow.class::isInstance).map(o -> (JobRow) o).toList();
      assertThat(won).hasSize(1);
      exactlyOneWinner(outcomes, won.get(0).id());
      assertThat(rows()).isEqualTo(round + 1L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void eightThreadsBatchingTheSameScopeCommitExactlyOneBatch(Scope scope) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      int r = round;
      List<Object> outcomes =
          race(
              t ->
                  awa.enqueueMany(
                      List.of(NewJob.builder("filler").build(), scope.job().apply(r, t))));
      List<long[]> won =
          outcomes.stream().filter(long[].class::isInstance).map(o -> (long[]) o).toList();
      assertThat(won).hasSize(1);
      exactlyOneWinner(outcomes, won.get(0)[1]);
      // The losers' batches left nothing behind, not even their filler job.
      assertThat(rows()).isEqualTo(2L * (round + 1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void enqueueOrGetExistingGivesEveryThreadTheOneJob(Scope scope) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      int r = round;
      List<Object> outcomes = race(t -> awa.enqueueOrGetExisting(scope.job().apply(r, t)));
      Set<Long> ids = new HashSet<>();
      for (Object o : outcomes) {
        ids.add(((JobRow) o).id());
      }
      assertThat(ids).hasSize(1);
      assertThat(rows()).isEqualTo(round + 1L);
    }
  }

  /** Enqueues {@code first}, then {@code second}: whether the second was refused as a duplicate. */
  private boolean collide(NewJob first, NewJob second) {
    db.truncateJobs();
    JobRow a = awa.enqueue(first);
    try {
      awa.enqueue(second);
      return false;
    } catch (DuplicateJobException e) {
      assertThat(e.existingJobId()).isEqualTo(a.id());
      return true;
    }
  }

  @Test
  void theDefaultScopeIsTheKindSoOtherKindsMayShareAKey() {
    assertThat(
            collide(
                NewJob.builder("send_email").uniqueKey("order-1").build(),
                NewJob.builder("charge_card").uniqueKey("order-1").build()))
        .isFalse();
    assertThat(
            collide(
                NewJob.builder("send_email").queue("a").uniqueKey("order-1").build(),
                NewJob.builder("send_email").queue("b").uniqueKey("order-1").build()))
        .as("the queue is not in the default scope")
        .isTrue();
    assertThat(
            collide(
                NewJob.builder("send_email").uniqueKey("order-1").build(),
                NewJob.builder("send_email").uniqueKey("order-2").build()))
        .isFalse();
  }

  @Test
  void byKindFalseRestoresOneNamespaceAcrossKinds() {
    UniqueOptions global = UniqueOptions.builder().byKind(false).build();
    assertThat(
            collide(
                NewJob.builder("send_email").uniqueKey("order-1").unique(global).build(),
                NewJob.builder("charge_card").uniqueKey("order-1").unique(global).build()))
        .isTrue();
    // A global key and a by-kind key with the same text are different scopes.
    assertThat(
            collide(
                NewJob.builder("send_email").uniqueKey("order-1").unique(global).build(),
                NewJob.builder("send_email").uniqueKey("order-1").build()))
        .isFalse();
  }

  @Test
  void byQueueSeparatesQueues() {
    UniqueOptions byQueue = UniqueOptions.builder().byQueue().build();
    assertThat(
            collide(
                NewJob.builder("sync").queue("eu").unique(byQueue).build(),
                NewJob.builder("sync").queue("us").unique(byQueue).build()))
        .isFalse();
    assertThat(
            collide(
                NewJob.builder("sync").queue("eu").unique(byQueue).build(),
                NewJob.builder("sync").queue("eu").unique(byQueue).build()))
        .isTrue();
    assertThat(
            collide(
                NewJob.builder("sync").queue("eu").unique(byQueue).build(),
                NewJob.builder("other").queue("eu").unique(byQueue).build()))
        .isFalse();
  }

  @Test
  void byArgsComparesTheArgsByValue() {
    UniqueOptions byArgs = UniqueOptions.builder().byArgs().build();
    assertThat(
            collide(
                NewJob.builder("charge")
                    .argsJson("{\"order\":1,\"amount\":10}")
                    .unique(byArgs)
                    .build(),
                NewJob.builder("charge")
                    .argsJson("{ \"amount\": 10.0, \"order\": 1e0 }")
                    .unique(byArgs)
                    .build()))
        .as("field order, spacing and number spelling do not matter")
        .isTrue();
    assertThat(
            collide(
                NewJob.builder("charge").args(Map.of("order", 1)).unique(byArgs).build(),
                NewJob.builder("charge").args(Map.of("order", 2)).unique(byArgs).build()))
        .isFalse();
    assertThat(
            collide(
                NewJob.builder("charge").args(Map.of("order", 1)).unique(byArgs).build(),
                NewJob.builder("refund").args(Map.of("order", 1)).unique(byArgs).build()))
        .isFalse();
    UniqueOptions byOrder = UniqueOptions.builder().byArgs("order").build();
    assertThat(
            collide(
                NewJob.builder("charge")
                    .args(Map.of("order", 1, "at", "09:00"))
                    .unique(byOrder)
                    .build(),
                NewJob.builder("charge")
                    .args(Map.of("order", 1, "at", "09:01"))
                    .unique(byOrder)
                    .build()))
        .as("fields outside byArgs(...) are ignored")
        .isTrue();
    assertThat(
            collide(
                NewJob.builder("charge").args(Map.of("other", 1)).unique(byOrder).build(),
                NewJob.builder("charge").argsJson("{\"order\":null}").unique(byOrder).build()))
        .as("an absent field is not a null field")
        .isFalse();
  }

  @Test
  void byArgsFieldsNeedObjectArgs() {
    assertThatThrownBy(
            () ->
                awa.enqueue(
                    NewJob.builder("charge")
                        .argsJson("[1, 2]")
                        .unique(UniqueOptions.builder().byArgs("order").build())
                        .build()))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("args"))
        .hasMessageContaining("JSON object");
    assertThat(rows()).isZero();
  }

  @Test
  void byPeriodHoldsWithinTheBucketOfTheRunAtOnly() {
    UniqueOptions hourly = UniqueOptions.builder().byPeriod(Duration.ofHours(1)).build();
    assertThat(
            collide(
                NewJob.builder("digest").runAt(BASE.plusSeconds(60)).unique(hourly).build(),
                NewJob.builder("digest").runAt(BASE.plusSeconds(3599)).unique(hourly).build()))
        .isTrue();
    assertThat(
            collide(
                NewJob.builder("digest").runAt(BASE.minusSeconds(1)).unique(hourly).build(),
                NewJob.builder("digest").runAt(BASE).unique(hourly).build()))
        .as("10:59:59 and 10:00:00 UTC are in different hours")
        .isFalse();
    // A bucket is UTC-aligned: the same instant written with another offset is the same bucket.
    Instant sameInstant = java.time.OffsetDateTime.parse("2031-05-05T12:30:00+02:00").toInstant();
    assertThat(
            collide(
                NewJob.builder("digest").runAt(BASE.plusSeconds(1)).unique(hourly).build(),
                NewJob.builder("digest").runAt(sameInstant).unique(hourly).build()))
        .isTrue();
    UniqueOptions daily = UniqueOptions.builder().byPeriod(Duration.ofDays(1)).build();
    assertThat(
            collide(
                NewJob.builder("digest").runAt(BASE.plusSeconds(1)).unique(hourly).build(),
                NewJob.builder("digest").runAt(BASE.plusSeconds(1)).unique(daily).build()))
        .as("two periods are two scopes")
        .isFalse();
  }

  @Test
  void byPeriodWithoutRunAtUsesTheEnqueueInstant() {
    UniqueOptions weekly = UniqueOptions.builder().byPeriod(Duration.ofDays(7)).build();
    NewJob job = NewJob.builder("digest").unique(weekly).build();
    Instant before = Instant.now();
    JobRow first = awa.enqueue(job);
    Instant between = Instant.now();
    // The claim is the bucket of the enqueue instant (between the two readings of the clock).
    String claim =
        db.queryStrings("SELECT unique_claim FROM awa.jobs WHERE id = ?", first.id()).get(0);
    assertThat(claim).isIn(UniqueClaim.of(job, "{}", before), UniqueClaim.of(job, "{}", between));
    boolean sameWeek = UniqueClaim.of(job, "{}", before).equals(UniqueClaim.of(job, "{}", between));
    if (sameWeek) {
      assertThatThrownBy(() -> awa.enqueue(job))
          .isInstanceOfSatisfying(
              DuplicateJobException.class,
              e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
    } else {
      // The first enqueue straddled a week boundary (UTC): the next week is a new scope.
      assertThat(awa.enqueue(job).id()).isNotEqualTo(first.id());
    }
  }

  @Test
  void keyIsReleasedWhenTheHolderLeavesTheHoldingStates() {
    NewJob job = NewJob.builder("r").queue("u").uniqueKey("rel").build();
    JobRow first = awa.enqueue(job);
    JobRow run = awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0);
    assertThatThrownBy(() -> awa.enqueue(job)).isInstanceOf(DuplicateJobException.class);
    awa.leases().fail(run, JobError.of(1, new Exception("boom")));
    JobRow second = awa.enqueue(job);
    assertThat(second.id()).isNotEqualTo(first.id());
    awa.operator().cancelJob(second.id());
    JobRow third = awa.enqueue(job);
    JobRow run3 = awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0);
    assertThat(awa.leases().complete(run3)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.enqueue(job).id()).isNotEqualTo(third.id());
    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isEqualTo(1L);
  }

  @Test
  void retryOfAFinishedUniqueJobTakesTheScopeBackOrIsRefused() {
    NewJob job = NewJob.builder("r").queue("u").uniqueKey("again").build();
    JobRow first = awa.enqueue(job);
    awa.leases().complete(awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0));
    // The scope is free: the retried job takes it back, and holds it.
    assertThat(awa.operator().retryJob(first.id())).isTrue();
    assertThatThrownBy(() -> awa.enqueue(job))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
    awa.leases().complete(awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0));
    // A newer job holds the scope: the retry is refused, naming it, and changes nothing.
    JobRow newer = awa.enqueue(job);
    assertThatThrownBy(() -> awa.operator().retryJob(first.id()))
        .isInstanceOfSatisfying(
            DuplicateJobException.class,
            e -> {
              assertThat(e.existingJobId()).isEqualTo(newer.id());
              assertThat(e.uniqueKey()).isEqualTo("again");
              assertThat(e.kind()).isEqualTo("r");
            });
    assertThat(awa.operator().getJob(first.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
  }

  @Test
  void completedInTheHoldingStatesKeepsAPeriodicJobOncePerBucket() {
    UniqueOptions oncePerHour =
        UniqueOptions.builder().byPeriod(Duration.ofHours(1)).addStates(JobState.COMPLETED).build();
    Instant past = Instant.now().minus(Duration.ofMinutes(1));
    NewJob job = NewJob.builder("hourly").queue("h").runAt(past).unique(oncePerHour).build();
    JobRow first = awa.enqueue(job);
    awa.leases().complete(awa.leases().claim("h", 1, Duration.ofMinutes(1), "w").get(0));
    assertThatThrownBy(() -> awa.enqueue(job))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
    NewJob nextHour =
        NewJob.builder("hourly")
            .queue("h")
            .runAt(past.plus(Duration.ofHours(1)))
            .unique(oncePerHour)
            .build();
    assertThat(awa.enqueue(nextHour).state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void scopedClaimSurvivesMovesBetweenTables() {
    UniqueOptions byArgs = UniqueOptions.builder().byArgs().build();
    NewJob job = NewJob.builder("r").queue("m").args(Map.of("n", 1)).unique(byArgs).build();
    JobRow first = awa.enqueue(job);
    JobRow run = awa.leases().claim("m", 1, Duration.ofMinutes(1), "w").get(0);
    awa.leases().retry(run, Instant.now().plusSeconds(600), JobError.of(1, new Exception("x")));
    assertThat(awa.operator().getJob(first.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    assertThatThrownBy(() -> awa.enqueue(job))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
    // Cancelling moves it back into awa.jobs as cancelled: released.
    awa.operator().cancelJob(first.id());
    assertThat(awa.enqueue(job).id()).isNotEqualTo(first.id());
  }

  @Test
  void aMoveThatDropsTheClaimColumnKeepsTheClaim() {
    // What a maintenance leader still on the previous release does: it moves rows with the
    // version-1 column list, without unique_claim. The heal trigger restores the claim.
    UniqueOptions byArgs = UniqueOptions.builder().byArgs().build();
    NewJob job =
        NewJob.builder("r").args(Map.of("n", 2)).runIn(Duration.ofHours(1)).unique(byArgs).build();
    JobRow first = awa.enqueue(job);
    String claim =
        db.queryStrings("SELECT unique_claim FROM awa.scheduled_jobs WHERE id = ?", first.id())
            .get(0);
    List<String> v1Columns =
        dev.awa.core.internal.JobColumns.STORED.stream()
            .filter(c -> !c.equals("unique_claim"))
            .toList();
    db.update(
        "WITH moved AS (DELETE FROM awa.scheduled_jobs WHERE id = ? RETURNING *)"
            + " INSERT INTO awa.jobs ("
            + String.join(", ", v1Columns)
            + ") SELECT "
            + String.join(
                ", ", v1Columns.stream().map(c -> c.equals("state") ? "'available'" : c).toList())
            + " FROM moved",
        first.id());
    assertThat(db.queryStrings("SELECT unique_claim FROM awa.jobs WHERE id = ?", first.id()))
        .containsExactly(claim);
    assertThatThrownBy(() -> awa.enqueue(job)).isInstanceOf(DuplicateJobException.class);
    awa.operator().cancelJob(first.id());
    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isZero();
  }

  @Test
  void aRowWrittenWithoutAClaimGetsTheDefaultScope() {
    // As a process on the previous release (or a hand-written INSERT) enqueues: key, no claim.
    db.update(
        "INSERT INTO awa.jobs (kind, queue, state, unique_key, unique_states) VALUES"
            + " ('send_email', 'default', 'available', 'order-7',"
            + " '{available,running,scheduled,retryable,waiting_external}')");
    long id = db.queryLong("SELECT id FROM awa.jobs");
    assertThatThrownBy(() -> awa.enqueue(NewJob.builder("send_email").uniqueKey("order-7").build()))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(id));
    assertThat(awa.enqueue(NewJob.builder("charge_card").uniqueKey("order-7").build())).isNotNull();
  }

  @Test
  void theSqlDefaultClaimIsTheJavaOne() {
    List<String[]> samples =
        List.of(
            new String[] {"send_email", "order-1"},
            new String[] {"k|kind=", "|key=6b"},
            new String[] {"üñí", "日本語 \t\n\\ \"quoted\" 😀"},
            new String[] {"a", "b".repeat(1000)});
    for (String[] s : samples) {
      assertThat(db.queryStrings("SELECT awa.default_unique_claim(?, ?)", s[0], s[1]))
          .containsExactly(UniqueClaim.byKindAndKey(s[0], s[1]));
      NewJob job = NewJob.builder(s[0]).uniqueKey(s[1]).build();
      assertThat(UniqueClaim.of(job, "{}", Instant.now()))
          .isEqualTo(UniqueClaim.byKindAndKey(s[0], s[1]));
    }
  }
}
