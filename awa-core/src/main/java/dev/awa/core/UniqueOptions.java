package dev.awa.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What makes a job a duplicate of another: an immutable value built with {@link #builder()} and
 * given to {@link NewJob.Builder#unique(UniqueOptions)}. Two jobs collide when every part of the
 * scope that is switched on is equal:
 *
 * <ul>
 *   <li>the kind ({@link Builder#byKind(boolean)}, on by default),
 *   <li>the unique key, when the job has one ({@link NewJob.Builder#uniqueKey(String)}),
 *   <li>the queue ({@link Builder#byQueue()}),
 *   <li>the args, all of them or only some top-level fields ({@link Builder#byArgs()}), compared by
 *       a SHA-256 hash of their canonical JSON (keys sorted, numbers normalized),
 *   <li>the time bucket ({@link Builder#byPeriod(Duration)}): buckets are aligned to the Unix epoch
 *       in UTC, and a job falls in the bucket of its run-at or, without one, of the instant it is
 *       enqueued.
 * </ul>
 *
 * and while the job holding the scope is in one of the {@linkplain Builder#states holding states}
 * (by default every unfinished state, {@link JobState#DEFAULT_UNIQUE_STATES}). See
 * docs/unique-jobs.md.
 */
public final class UniqueOptions {
  /** Shortest period, one second. */
  public static final Duration MIN_PERIOD = Duration.ofSeconds(1);

  /** Longest period, 366 days. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

  /** Most top-level arg fields {@link Builder#byArgs(String...)} may name. */
  public static final int MAX_ARG_KEYS = 32;

  /** Longest arg field name, in characters. */
  public static final int MAX_ARG_KEY_LENGTH = 200;

  /** The default scope: by kind (plus the unique key), held in every unfinished state. */
  public static final UniqueOptions BY_KIND = builder().build();

  private final boolean byKind;
  private final boolean byQueue;
  private final boolean byArgs;
  private final Set<String> argKeys;
  private final Duration period;
  private final Set<JobState> states;

  private UniqueOptions(Builder b, Set<String> argKeys, Set<JobState> states) {
    this.byKind = b.byKind;
    this.byQueue = b.byQueue;
    this.byArgs = b.byArgs;
    this.argKeys = argKeys;
    this.period = b.period;
    this.states = states;
  }

  /** Starts a builder with the defaults: by kind, no queue, no args, no period, unfinished. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this value's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.byKind = byKind;
    b.byQueue = byQueue;
    b.byArgs = byArgs;
    b.argKeys = List.copyOf(argKeys);
    b.period = period;
    b.states = states;
    return b;
  }

  /** Whether jobs of different kinds are kept apart (default true). */
  public boolean byKind() {
    return byKind;
  }

  /** Whether jobs in different queues are kept apart (default false). */
  public boolean byQueue() {
    return byQueue;
  }

  /** Whether jobs with different args are kept apart (default false). */
  public boolean byArgs() {
    return byArgs;
  }

  /**
   * The top-level arg fields compared when {@link #byArgs()} is on, sorted; empty means the whole
   * args value.
   */
  public Set<String> argKeys() {
    return argKeys;
  }

  /** The time bucket, or null when uniqueness is not limited in time. */
  public Duration period() {
    return period;
  }

  /** The states in which a job holds its scope. */
  public Set<JobState> states() {
    return states;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UniqueOptions u
        && byKind == u.byKind
        && byQueue == u.byQueue
        && byArgs == u.byArgs
        && argKeys.equals(u.argKeys)
        && Objects.equals(period, u.period)
        && states.equals(u.states);
  }

  @Override
  public int hashCode() {
    return Objects.hash(byKind, byQueue, byArgs, argKeys, period, states);
  }

  @Override
  public String toString() {
    return "UniqueOptions[byKind="
        + byKind
        + ", byQueue="
        + byQueue
        + ", byArgs="
        + (byArgs ? (argKeys.isEmpty() ? "all" : argKeys.toString()) : "false")
        + ", period="
        + period
        + ", states="
        + new TreeSet<>(states)
        + "]";
  }

  /**
   * Builder of {@link UniqueOptions}; not thread-safe. {@link #build()} checks every field and
   * throws {@link InvalidJobException} naming it ({@code unique.period}, {@code unique.argKeys},
   * {@code unique.states}) and the limit.
   */
  public static final class Builder {
    private boolean byKind = true;
    private boolean byQueue;
    private boolean byArgs;
    private List<String> argKeys = List.of();
    private Duration period;
    private Set<JobState> states = JobState.DEFAULT_UNIQUE_STATES;

    private Builder() {}

    /**
     * Whether the kind is part of the scope (default true). {@code false} makes the unique key one
     * namespace across every kind, as in schema version 1; such a job then needs a unique key, the
     * queue, the args or a period in its scope.
     */
    public Builder byKind(boolean byKind) {
      this.byKind = byKind;
      return this;
    }

    /** Puts the queue in the scope: the same job in two queues is two jobs. */
    public Builder byQueue() {
      return byQueue(true);
    }

    /** Whether the queue is part of the scope (default false). */
    public Builder byQueue(boolean byQueue) {
      this.byQueue = byQueue;
      return this;
    }

    /** Puts the whole args value in the scope. */
    public Builder byArgs() {
      this.byArgs = true;
      this.argKeys = List.of();
      return this;
    }

    /**
     * Puts only these top-level fields of the args in the scope (the args must then be a JSON
     * object; a field that is absent counts as absent, not as null). At most {@value
     * UniqueOptions#MAX_ARG_KEYS} names.
     */
    public Builder byArgs(String... keys) {
      return byArgs(keys == null ? null : Arrays.asList(keys));
    }

    /** As {@link #byArgs(String...)}. */
    public Builder byArgs(Collection<String> keys) {
      this.byArgs = true;
      this.argKeys = keys == null ? null : Arrays.asList(keys.toArray(new String[0]));
      return this;
    }

    /**
     * Limits uniqueness to a time bucket of this length, a whole number of seconds between {@link
     * UniqueOptions#MIN_PERIOD} and {@link UniqueOptions#MAX_PERIOD}; {@code null} removes the
     * limit. Buckets start at multiples of the period since 1970-01-01T00:00Z (a day is a UTC day).
     */
    public Builder byPeriod(Duration period) {
      this.period = period;
      return this;
    }

    /**
     * The states in which a job holds its scope. They must include every unfinished state ({@link
     * JobState#DEFAULT_UNIQUE_STATES}, the default) and may add {@code COMPLETED}, {@code FAILED}
     * or {@code CANCELLED}, e.g. "at most once, until cleanup deletes the finished job".
     */
    public Builder states(Set<JobState> states) {
      this.states = states;
      return this;
    }

    /**
     * Adds states to the holding states set so far (by default the unfinished ones), e.g. {@code
     * addStates(JobState.COMPLETED)} for "once, until cleanup deletes the completed job".
     */
    public Builder addStates(JobState... more) {
      Set<JobState> all = new java.util.HashSet<>(states == null ? Set.of() : states);
      all.addAll(more == null ? java.util.Collections.singletonList(null) : Arrays.asList(more));
      return states(all);
    }

    /** As {@link #states(Set)}. */
    public Builder states(JobState... states) {
      return states(states == null ? null : new java.util.HashSet<>(Arrays.asList(states)));
    }

    /** Checks every field and builds the value. */
    public UniqueOptions build() {
      if (period != null) {
        if (period.getNano() != 0
            || period.compareTo(MIN_PERIOD) < 0
            || period.compareTo(MAX_PERIOD) > 0) {
          throw new InvalidJobException(
              "unique.period",
              "must be a whole number of seconds between "
                  + MIN_PERIOD
                  + " and "
                  + MAX_PERIOD
                  + ", was "
                  + period);
        }
      }
      if (argKeys == null) {
        throw new InvalidJobException("unique.argKeys", "must not be null");
      }
      if (argKeys.size() > MAX_ARG_KEYS) {
        throw new InvalidJobException(
            "unique.argKeys",
            "at most " + MAX_ARG_KEYS + " arg fields are allowed, got " + argKeys.size());
      }
      TreeSet<String> keys = new TreeSet<>();
      for (String k : argKeys) {
        if (k == null || k.isEmpty() || k.length() > MAX_ARG_KEY_LENGTH) {
          throw new InvalidJobException(
              "unique.argKeys",
              "each arg field name must be non-empty and at most "
                  + MAX_ARG_KEY_LENGTH
                  + " characters");
        }
        keys.add(k);
      }
      if (states == null || states.isEmpty() || states.stream().anyMatch(Objects::isNull)) {
        throw new InvalidJobException("unique.states", "must be a non-empty set of states");
      }
      if (!states.containsAll(JobState.DEFAULT_UNIQUE_STATES)) {
        // A scope released while its job is unfinished could be taken by another job; the first
        // job could then never return to a holding state without a conflict.
        throw new InvalidJobException(
            "unique.states",
            "must include every unfinished state "
                + new TreeSet<>(JobState.DEFAULT_UNIQUE_STATES)
                + " and may add completed, failed or cancelled, was "
                + new TreeSet<>(states));
      }
      return new UniqueOptions(
          this, java.util.Collections.unmodifiableSet(keys), Set.copyOf(EnumSet.copyOf(states)));
    }
  }
}
