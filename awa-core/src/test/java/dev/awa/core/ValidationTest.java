package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad input is refused with a typed exception naming the field and the limit. */
@AwaTest
class ValidationTest {
  private final TestDatabase db;
  private final AwaClient awa;

  ValidationTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private void rejected(ThrowingCallable call, String field, String limitText) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(field)
        .hasMessageContaining(limitText);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.scheduled_jobs")).isZero();
  }

  private void rejectedOnEnqueue(Supplier<NewJob> job, String field, String limitText) {
    rejected(() -> awa.enqueue(job.get()), field, limitText);
  }

  @Test
  void kindMustBePresentAndShort() {
    rejectedOnEnqueue(() -> NewJob.builder(null).build(), "kind", "null or blank");
    rejectedOnEnqueue(() -> NewJob.builder("  ").build(), "kind", "null or blank");
    rejectedOnEnqueue(() -> NewJob.builder("k".repeat(201)).build(), "kind", "200");
  }

  @Test
  void queueMustBePresentAndShort() {
    rejectedOnEnqueue(() -> NewJob.builder("k").queue("").build(), "queue", "null or blank");
    rejectedOnEnqueue(() -> NewJob.builder("k").queue("q".repeat(201)).build(), "queue", "200");
  }

  @Test
  void priorityBetweenOneAndFour() {
    rejectedOnEnqueue(() -> NewJob.builder("k").priority(0).build(), "priority", "between 1 and 4");
    rejectedOnEnqueue(() -> NewJob.builder("k").priority(5).build(), "priority", "between 1 and 4");
  }

  @Test
  void maxAttemptsBetweenOneAndThousand() {
    rejectedOnEnqueue(() -> NewJob.builder("k").maxAttempts(0).build(), "maxAttempts", "1000");
    rejectedOnEnqueue(() -> NewJob.builder("k").maxAttempts(1001).build(), "maxAttempts", "1000");
  }

  @Test
  void argsMustBeJson() {
    rejectedOnEnqueue(
        () -> NewJob.builder("k").argsJson("{not json").build(), "args", "not valid JSON");
    rejectedOnEnqueue(() -> NewJob.builder("k").argsJson("42").build(), "args", "object or array");
    rejectedOnEnqueue(() -> NewJob.builder("k").argsJson(null).build(), "args", "object or array");
    rejected(() -> awa.enqueue(NewJob.builder("k").args(new Object()).build()), "args", "JSON");
  }

  @Test
  void argsOverTheSizeLimit() {
    String big = "x".repeat(NewJob.MAX_ARGS_BYTES);
    rejected(
        () -> awa.enqueue(NewJob.builder("k").args(List.of(big)).build()),
        "args",
        String.valueOf(NewJob.MAX_ARGS_BYTES));
  }

  @Test
  void atMostTwentyTags() {
    List<String> tags = IntStream.range(0, 21).mapToObj(i -> "t" + i).toList();
    rejectedOnEnqueue(() -> NewJob.builder("k").tags(tags).build(), "tags", "20");
    rejectedOnEnqueue(
        () -> NewJob.builder("k").tags(Collections.singletonList((String) null)).build(),
        "tags",
        "non-blank");
  }

  @Test
  void runAtMustNotBeNullWhenGiven() {
    rejectedOnEnqueue(() -> NewJob.builder("k").runAt(null).build(), "runAt", "must not be null");
    rejectedOnEnqueue(() -> NewJob.builder("k").runIn(null).build(), "runIn", "must not be null");
  }

  @Test
  void uniqueStatesMustCoverUnfinishedStates() {
    rejectedOnEnqueue(
        () -> NewJob.builder("k").uniqueKey("u").uniqueStates(Set.of(JobState.AVAILABLE)).build(),
        "uniqueStates",
        "every unfinished state");
  }

  @Test
  void oneBadJobInABatchRejectsTheWholeBatch() {
    rejected(
        () ->
            awa.enqueueMany(
                List.of(
                    NewJob.builder("ok").build(),
                    NewJob.builder("bad")
                        .args(List.of("y".repeat(NewJob.MAX_ARGS_BYTES)))
                        .build())),
        "args",
        "exceeds");
  }

  @Test
  void claimArgumentsAreChecked() {
    rejectedArgument(
        () -> awa.leases().claim("q", 0, java.time.Duration.ofMinutes(1), "w"),
        "limit",
        "between 1 and 10000");
    rejectedArgument(
        () -> awa.leases().claim("", 1, java.time.Duration.ofMinutes(1), "w"), "queue", "blank");
    rejectedArgument(
        () -> awa.leases().claim("q", 1, java.time.Duration.ZERO, "w"), "deadline", "positive");
  }

  private void rejectedArgument(ThrowingCallable call, String argument, String limitText) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo(argument))
        .hasMessageContaining(argument)
        .hasMessageContaining(limitText);
  }

  @Test
  void hostileStringsAreStoredLiterally() {
    String evil = "q'; DROP TABLE awa.jobs; --\"$$";
    JobRow row =
        awa.enqueue(NewJob.builder(evil).queue(evil).tags(evil, "select * from pg_user").build());
    JobRow read = awa.operator().getJob(row.id()).orElseThrow();
    assertThat(read.kind()).isEqualTo(evil);
    assertThat(read.queue()).isEqualTo(evil);
    assertThat(read.tags()).containsExactly(evil, "select * from pg_user");
    assertThat(awa.leases().claim(evil, 1, java.time.Duration.ofMinutes(1), "w")).hasSize(1);
  }
}
