package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The value type, its checks, and the claim it leads to (pure: no database). */
class UniqueOptionsTest {
  private static void rejected(ThrowingCallable call, String field, String limitText) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(limitText);
  }

  @Test
  void defaultsAreByKindInEveryUnfinishedState() {
    UniqueOptions d = UniqueOptions.BY_KIND;
    assertThat(d.byKind()).isTrue();
    assertThat(d.byQueue()).isFalse();
    assertThat(d.byArgs()).isFalse();
    assertThat(d.argKeys()).isEmpty();
    assertThat(d.period()).isNull();
    assertThat(d.states()).isEqualTo(JobState.DEFAULT_UNIQUE_STATES);
    assertThat(UniqueOptions.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    NewJob keyOnly = NewJob.builder("k").uniqueKey("x").build();
    assertThat(keyOnly.uniqueOptions()).isEqualTo(d);
    assertThat(NewJob.builder("k").build().uniqueOptions()).isNull();
    assertThat(NewJob.builder("k").build().isUnique()).isFalse();
  }

  @Test
  void toBuilderCopiesEveryField() {
    UniqueOptions o =
        UniqueOptions.builder()
            .byKind(false)
            .byQueue()
            .byArgs("b", "a")
            .byPeriod(Duration.ofMinutes(5))
            .states(EnumSet.complementOf(EnumSet.of(JobState.CANCELLED)))
            .build();
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.argKeys()).containsExactly("a", "b");
    assertThat(o.toString()).contains("byQueue=true").contains("[a, b]").contains("PT5M");
  }

  @Test
  void periodMustBeWholeSecondsWithinTheLimits() {
    rejected(
        () -> UniqueOptions.builder().byPeriod(Duration.ofMillis(1500)).build(),
        "unique.period",
        "whole number of seconds");
    rejected(
        () -> UniqueOptions.builder().byPeriod(Duration.ZERO).build(), "unique.period", "PT1S");
    rejected(
        () -> UniqueOptions.builder().byPeriod(Duration.ofDays(367)).build(),
        "unique.period",
        "PT8784H");
    assertThat(UniqueOptions.builder().byPeriod(null).build().period()).isNull();
  }

  @Test
  void argKeysAreCheckedAndBounded() {
    rejected(
        () -> UniqueOptions.builder().byArgs((String) null).build(), "unique.argKeys", "non-empty");
    rejected(() -> UniqueOptions.builder().byArgs("").build(), "unique.argKeys", "non-empty");
    rejected(
        () -> UniqueOptions.builder().byArgs("k".repeat(201)).build(), "unique.argKeys", "200");
    String[] many = new String[33];
    Arrays.setAll(many, i -> "f" + i);
    rejected(() -> UniqueOptions.builder().byArgs(many).build(), "unique.argKeys", "at most 32");
    rejected(
        () -> UniqueOptions.builder().byArgs((java.util.Collection<String>) null).build(),
        "unique.argKeys",
        "null");
  }

  @Test
  void statesMustIncludeEveryUnfinishedState() {
    rejected(
        () -> UniqueOptions.builder().states(JobState.AVAILABLE, JobState.RUNNING).build(),
        "unique.states",
        "every unfinished state");
    rejected(
        () -> UniqueOptions.builder().states((Set<JobState>) null).build(),
        "unique.states",
        "non-empty");
    rejected(
        () -> UniqueOptions.builder().states(JobState.AVAILABLE, null).build(),
        "unique.states",
        "non-empty");
    assertThat(UniqueOptions.builder().states(EnumSet.allOf(JobState.class)).build().states())
        .hasSize(JobState.values().length);
  }

  @Test
  void newJobRefusesAmbiguousOrEmptyScopes() {
    rejected(() -> NewJob.builder("k").unique(null), "unique", "must not be null");
    rejected(
        () ->
            NewJob.builder("k")
                .unique(UniqueOptions.BY_KIND)
                .uniqueStates(EnumSet.allOf(JobState.class))
                .build(),
        "uniqueStates",
        "UniqueOptions.Builder.states");
    rejected(
        () -> NewJob.builder("k").unique(UniqueOptions.builder().byKind(false).build()).build(),
        "unique",
        "byKind(false) needs");
    // The legacy states setter still works with a key alone.
    NewJob legacy =
        NewJob.builder("k").uniqueKey("x").uniqueStates(EnumSet.allOf(JobState.class)).build();
    assertThat(legacy.uniqueOptions().states()).hasSize(JobState.values().length);
    assertThat(legacy.uniqueStates()).isEqualTo(legacy.uniqueOptions().states());
  }

  @Test
  void claimDependsOnExactlyTheScopedParts() {
    Instant at = Instant.parse("2030-01-01T10:15:00Z");
    UniqueOptions byQueue = UniqueOptions.builder().byQueue().build();
    String a = UniqueClaim.of(NewJob.builder("k").queue("a").unique(byQueue).build(), "{}", at);
    String b = UniqueClaim.of(NewJob.builder("k").queue("b").unique(byQueue).build(), "{}", at);
    String a2 =
        UniqueClaim.of(
            NewJob.builder("k").queue("a").priority(1).unique(byQueue).build(), "{\"x\":1}", at);
    assertThat(a).hasSize(64).isNotEqualTo(b).isEqualTo(a2);
    assertThat(UniqueClaim.of(NewJob.builder("k").build(), "{}", at)).isNull();
    // Unambiguous: a kind ending in what looks like a key marker is not a kind plus a key.
    assertThat(UniqueClaim.byKindAndKey("a|key=62", "c"))
        .isNotEqualTo(UniqueClaim.byKindAndKey("a", "b|key=63"));
  }

  @Test
  void periodBucketsAreAlignedToTheEpochInUtc() {
    UniqueOptions daily = UniqueOptions.builder().byPeriod(Duration.ofDays(1)).build();
    NewJob job = NewJob.builder("k").unique(daily).build();
    String morning = UniqueClaim.of(job, "{}", Instant.parse("2030-01-01T00:00:00Z"));
    String night = UniqueClaim.of(job, "{}", Instant.parse("2030-01-01T23:59:59Z"));
    String next = UniqueClaim.of(job, "{}", Instant.parse("2030-01-02T00:00:00Z"));
    assertThat(morning).isEqualTo(night).isNotEqualTo(next);
    // Before 1970 too (floor, not truncation towards zero).
    assertThat(UniqueClaim.of(job, "{}", Instant.parse("1969-12-31T23:00:00Z")))
        .isEqualTo(UniqueClaim.of(job, "{}", Instant.parse("1969-12-31T01:00:00Z")))
        .isNotEqualTo(UniqueClaim.of(job, "{}", Instant.parse("1970-01-01T01:00:00Z")));
    // A run-at takes precedence over the enqueue instant.
    NewJob scheduled =
        NewJob.builder("k").runAt(Instant.parse("2030-06-01T12:00:00Z")).unique(daily).build();
    assertThat(UniqueClaim.of(scheduled, "{}", Instant.parse("2030-01-01T00:00:00Z")))
        .isEqualTo(UniqueClaim.of(scheduled, "{}", Instant.parse("2031-01-01T00:00:00Z")));
  }

  @Test
  void canonicalArgsIgnoreOrderSpacingAndNumberSpelling() throws Exception {
    var mapper = Json.MAPPER;
    assertThat(
            CanonicalJson.text(
                mapper.readTree("{ \"b\": [1.50, {\"d\":2,\"c\":1}], \"a\": \"é\\n\" }")))
        .isEqualTo("{\"a\":\"é\\n\",\"b\":[1.5,{\"c\":1,\"d\":2}]}");
    assertThat(CanonicalJson.sha256Hex("{\"n\":100}", Set.of()))
        .isEqualTo(CanonicalJson.sha256Hex("{\"n\":1.0e2}", Set.of()))
        .isNotEqualTo(CanonicalJson.sha256Hex("{\"n\":\"100\"}", Set.of()));
    // Beyond double precision, two numbers stay different.
    assertThat(CanonicalJson.sha256Hex("[0.10000000000000000001]", Set.of()))
        .isNotEqualTo(CanonicalJson.sha256Hex("[0.1]", Set.of()));
  }
}
