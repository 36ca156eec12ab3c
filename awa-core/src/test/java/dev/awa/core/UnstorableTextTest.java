package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.core.internal.PgText;
import dev.awa.core.internal.PgTime;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL cannot store (NUL, lone UTF-16 surrogates, the jsonb escape {@code \u0000},
 * numbers beyond {@code numeric}, instants beyond {@code timestamptz}) is refused with a typed
 * exception naming the field, on the single and the batch (COPY) path, and the tables stay
 * unchanged. Before, a lone surrogate in args was stored as {@code ?} and the rest surfaced as
 * {@code AwaSqlException} (SQLSTATE 22021/22P05/22003/22008).
 */
@AwaTest
class UnstorableTextTest {
  /** Values no text column can hold, with what the message says about them. */
  private static final Map<String, String> BAD_TEXT =
      Map.of(
          "nul\u0000inside", "NUL",
          "lone high \uD800 surrogate", "lone UTF-16 surrogate (U+D800)",
          "lone low \uDC00 surrogate", "lone UTF-16 surrogate (U+DC00)",
          "reversed \uDE00\uD83D pair", "lone UTF-16 surrogate (U+DE00)",
          "ends in a high surrogate \uD83D", "lone UTF-16 surrogate (U+D83D)");

  private final TestDatabase db;
  private final AwaClient awa;

  UnstorableTextTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  /** Refused on both enqueue paths with {@code field} named, and nothing stored. */
  private void refusedEverywhere(Function<String, NewJob.Builder> job, String field) {
    BAD_TEXT.forEach(
        (bad, says) -> {
          rejected(() -> awa.enqueue(job.apply(bad).build()), field, says);
          rejected(
              () -> awa.enqueueMany(List.of(NewJob.builder("ok").build(), job.apply(bad).build())),
              field,
              says);
        });
  }

  private void rejected(ThrowingCallable call, String field, String says) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(says);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.scheduled_jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isZero();
  }

  @Test
  void kindQueueTagsAndUniqueKeyRefuseNulAndLoneSurrogates() {
    refusedEverywhere(NewJob::builder, "kind");
    refusedEverywhere(bad -> NewJob.builder("k").queue(bad), "queue");
    refusedEverywhere(bad -> NewJob.builder("k").tags("fine", bad), "tags");
    refusedEverywhere(bad -> NewJob.builder("k").uniqueKey(bad), "uniqueKey");
  }

  @Test
  void argsRefuseNulAndLoneSurrogatesAnywhereAsObjectOrAsJson() {
    refusedEverywhere(bad -> NewJob.builder("k").args(Map.of("v", bad)), "args");
    refusedEverywhere(bad -> NewJob.builder("k").args(Map.of(bad, 1)), "args");
    refusedEverywhere(bad -> NewJob.builder("k").args(List.of(List.of(bad))), "args");
    refusedEverywhere(
        bad ->
            NewJob.builder("k")
                .argsJson(awa.objectMapper().valueToTree(Map.of("v", bad)).toString()),
        "args");
  }

  @Test
  void metadataRefusesNulAndLoneSurrogatesInValuesAndKeys() {
    refusedEverywhere(bad -> NewJob.builder("k").metadata(Map.of("v", bad)), "metadata");
    refusedEverywhere(bad -> NewJob.builder("k").metadata(Map.of(bad, "v")), "metadata");
  }

  @Test
  void jsonEscapesThatJsonbRefusesAreRefusedInRawArgs() {
    for (String json :
        List.of(
            "{\"v\": \"a\\u0000b\"}",
            "{\"a\\u0000\": 1}",
            "[\"\\ud800\"]",
            "[\"\\udc00\"]",
            "[\"\\ud83d x\"]")) {
      assertThatThrownBy(() -> awa.enqueue(NewJob.builder("k").argsJson(json).build()))
          .isInstanceOfSatisfying(
              InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("args"));
    }
    // An escaped backslash before "u0000" is not the escape, and an escaped pair is one character.
    JobRow fine =
        awa.enqueue(
            NewJob.builder("k")
                .argsJson("{\"path\": \"C:\\\\u0000\", \"e\": \"\\ud83d\\ude00\"}")
                .build());
    assertThat(fine.argsTree().get("path").asText()).isEqualTo("C:\\u0000");
    assertThat(fine.argsTree().get("e").asText()).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void numbersBeyondNumericAreRefusedAndTheVerdictMatchesPostgres() throws SQLException {
    List<String> samples =
        List.of(
            "1e131071",
            "1e131072",
            "100e131069",
            "100e131070",
            "0.01e131073",
            "0.01e131074",
            "1e-16383",
            "1e-16384",
            "1.000e-16380",
            "1.000e-16381",
            "0e999999",
            "0.000e-99999",
            "-1.5E+131071",
            "-15E+131071",
            "1e99999999999999999999",
            "0e99999999999999999999",
            "0e1073741822",
            "0e-1073741822",
            "0.0e99999",
            "1e-99999999999999999999");
    // PostgreSQL 15 refuses an exponent of INT_MAX / 2 even on zero, 17 accepts it: the check
    // follows the stricter version, so what one server took is not refused by another.
    assertThat(PgText.jsonProblem("{\"n\": 0e1073741823}")).contains("numeric range");
    try (Connection c = db.dataSource().getConnection()) {
      for (String number : samples) {
        String json = "{\"n\": " + number + "}";
        boolean postgresAccepts = jsonbAccepts(c, json);
        assertThat(PgText.jsonProblem(json) == null).as(number).isEqualTo(postgresAccepts);
        if (!postgresAccepts) {
          rejected(() -> awa.enqueue(NewJob.builder("k").argsJson(json).build()), "args", number);
        }
      }
    }
  }

  private static boolean jsonbAccepts(Connection c, String json) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb")) {
      ps.setString(1, json);
      ps.executeQuery().close();
      return true;
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo("22003"); // numeric_value_out_of_range
      return false;
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void runAtOutsideTimestamptzIsRefusedOnBothPaths() {
    for (Instant at :
        List.of(
            Instant.MAX,
            Instant.MIN,
            PgTime.MAX.plusNanos(1000),
            PgTime.MIN.minusNanos(1000),
            Instant.parse("+294277-01-01T00:00:00Z"))) {
      rejected(() -> awa.enqueue(NewJob.builder("k").runAt(at).build()), "runAt", "294276");
      rejected(
          () -> awa.enqueueMany(List.of(NewJob.builder("k").runAt(at).build())), "runAt", "4714");
    }
    rejected(
        () -> awa.enqueue(NewJob.builder("k").runIn(Duration.ofSeconds(Long.MAX_VALUE)).build()),
        "runIn",
        "294276");
  }

  @Test
  void supplementaryCharactersAreStoredExactlyOnBothPaths() {
    String emoji = "mail \uD83D\uDCE7 to J\u00FCrgen";
    java.util.function.Supplier<NewJob> job =
        () ->
            NewJob.builder(emoji)
                .queue(emoji)
                .tags(emoji)
                .uniqueKey(emoji)
                .args(Map.of(emoji, emoji))
                .metadata(Map.of(emoji, emoji))
                .build();
    long single = awa.enqueue(job.get()).id();
    awa.operator().cancelJob(single); // releases the unique key for the batch copy
    long batch = awa.enqueueMany(List.of(job.get()))[0];
    for (long id : List.of(single, batch)) {
      JobRow row = awa.operator().getJob(id).orElseThrow();
      assertThat(row.kind()).isEqualTo(emoji);
      assertThat(row.queue()).isEqualTo(emoji);
      assertThat(row.tags()).containsExactly(emoji);
      assertThat(row.uniqueKey()).isEqualTo(emoji);
      assertThat(row.argsTree().get(emoji).asText()).isEqualTo(emoji);
      assertThat(row.metadata().get(emoji).asText()).isEqualTo(emoji);
    }
  }

  @Test
  void callbackResultsFailureMessagesAndOperatorInputsAreCheckedToo() {
    awa.enqueue(NewJob.builder("k").queue("cb").build());
    JobRow running = awa.leases().claim("cb", 1, Duration.ofMinutes(5), "w").get(0);
    var callback = awa.leases().registerCallback(running, Duration.ofMinutes(5)).orElseThrow();
    assertThat(awa.leases().parkForCallback(running)).isEqualTo(LeaseOutcome.APPLIED);

    BAD_TEXT.forEach(
        (bad, says) -> {
          argumentRejected(
              () -> awa.callbacks().completeCallback(callback, Map.of("r", bad)), "result", says);
          argumentRejected(() -> awa.callbacks().failCallback(callback, bad), "message", says);
          argumentRejected(() -> awa.operator().pauseQueue(bad), "queue", says);
          argumentRejected(() -> awa.operator().resumeQueue(bad), "queue", says);
          argumentRejected(
              () -> awa.leases().claim(bad, 1, Duration.ofMinutes(1), "w"), "queue", says);
          argumentRejected(
              () -> awa.leases().claim("cb", 1, Duration.ofMinutes(1), bad), "workerId", says);
        });
    // Nothing was resolved or written: the job still waits, no queue row was created.
    assertThat(awa.operator().getJob(running.id()).orElseThrow().state())
        .isEqualTo(JobState.WAITING_EXTERNAL);
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta")).isZero();
    assertThat(awa.callbacks().completeCallback(callback, Map.of("r", "ok \uD83D\uDE00")))
        .isEqualTo(CallbackOutcome.RESOLVED);
  }

  private static void argumentRejected(ThrowingCallable call, String argument, String says) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo(argument))
        .hasMessageContaining(says);
  }

  @Test
  void errorTextIsDiagnosticSoItIsMadeStorableInsteadOfLosingTheOutcome() {
    awa.enqueue(NewJob.builder("k").queue("err").maxAttempts(1).build());
    JobRow running = awa.leases().claim("err", 1, Duration.ofMinutes(5), "w").get(0);
    String message = "driver said \u0000 and \uD800; cut " + "x".repeat(3974) + "\uD83D\uDE00";
    JobError error = JobError.of(1, new IllegalStateException(message));
    assertThat(error.message()).doesNotContain("\u0000").contains("\uFFFD");
    assertThat(PgText.textProblem(error.message())).isNull(); // the pair at the cut is not split
    assertThat(awa.leases().fail(running, error)).isEqualTo(LeaseOutcome.APPLIED);
    JobRow failed = awa.operator().getJob(running.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.errors()).hasSize(1);
    assertThat(failed.errors().get(0).message()).isEqualTo(error.message());
  }
}
