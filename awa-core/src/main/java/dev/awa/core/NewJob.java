package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.awa.core.internal.PgText;
import dev.awa.core.internal.PgTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job to enqueue: an immutable value built with {@link #builder(String)}. Every field is checked
 * by {@link Builder#build()}, which throws {@link InvalidJobException} naming the field and the
 * limit, so a bad job never reaches the database. That includes what PostgreSQL cannot store: a NUL
 * character or a lone UTF-16 surrogate in any text (kind, queue, tags, unique key, and every string
 * or key of args and metadata), the JSON escape {@code \u0000}, a JSON number outside {@code
 * numeric}'s range, and a run-at outside {@code timestamptz}'s range (4714 BC to 294276 AD).
 * Nothing is ever altered to make it fit. Args given as an object are serialized, and checked the
 * same way, when the job is enqueued.
 */
public final class NewJob {
  /** Longest kind and queue name, in characters. */
  public static final int MAX_NAME_LENGTH = 200;

  /** Most tags per job. */
  public static final int MAX_TAGS = 20;

  /** Longest tag, in characters. */
  public static final int MAX_TAG_LENGTH = 200;

  /** Largest serialized args, in bytes (UTF-8). */
  public static final int MAX_ARGS_BYTES = 1 << 20;

  /** Largest serialized metadata, in bytes (UTF-8). */
  public static final int MAX_METADATA_BYTES = 64 << 10;

  /** Highest max-attempts value. */
  public static final int MAX_ATTEMPTS_LIMIT = 1000;

  /** Default queue name. */
  public static final String DEFAULT_QUEUE = "default";

  /** Default priority (1 highest .. 4 lowest). */
  public static final int DEFAULT_PRIORITY = 2;

  /** Default max attempts, as in River and Oban: enough for a day of exponential backoff. */
  public static final int DEFAULT_MAX_ATTEMPTS = 25;

  private final String kind;
  private final String queue;
  private final Object args;
  private final String rawArgs;
  private final int priority;
  private final Instant runAt;
  private final int maxAttempts;
  private final List<String> tags;
  private final Map<String, Object> metadata;
  private final String uniqueKey;
  private final Set<JobState> uniqueStates;
  private final UniqueOptions uniqueOptions;

  private NewJob(Builder b) {
    this.kind = b.kind;
    this.queue = b.queue;
    this.args = b.args;
    this.rawArgs = b.rawArgs;
    this.priority = b.priority;
    this.runAt = b.runAt;
    this.maxAttempts = b.maxAttempts;
    this.tags = List.copyOf(b.tags);
    this.metadata = Map.copyOf(b.metadata);
    this.uniqueKey = b.uniqueKey;
    this.uniqueOptions = b.resolvedUnique;
    this.uniqueStates = uniqueOptions == null ? Set.of() : uniqueOptions.states();
  }

  /** Starts a job of {@code kind} (the worker that runs it is registered for this kind). */
  public static Builder builder(String kind) {
    return new Builder(kind);
  }

  /** The job kind. */
  public String kind() {
    return kind;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The args object given to {@link Builder#args(Object)}, or null when raw JSON was given. */
  public Object args() {
    return args;
  }

  /** The raw JSON given to {@link Builder#argsJson(String)}, or null. */
  public String rawArgs() {
    return rawArgs;
  }

  /** Priority, 1 (highest) to 4. */
  public int priority() {
    return priority;
  }

  /** When the job may first run; null means now. */
  public Instant runAt() {
    return runAt;
  }

  /** Attempts allowed before the job fails for good. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Tags (free-form labels for filtering). */
  public List<String> tags() {
    return tags;
  }

  /** Metadata stored beside the job (not passed to the handler as args). */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** Unique key, or null when the job is not unique. */
  public String uniqueKey() {
    return uniqueKey;
  }

  /** The states in which the unique key blocks another job with the same key. */
  public Set<JobState> uniqueStates() {
    return uniqueStates;
  }

  /**
   * The unique scope, or null when the job is not unique. A job with only a {@linkplain
   * Builder#uniqueKey(String) unique key} has {@link UniqueOptions#BY_KIND} (with its {@linkplain
   * Builder#uniqueStates states}).
   */
  public UniqueOptions uniqueOptions() {
    return uniqueOptions;
  }

  /** Whether the job is unique (it has a unique key or {@link UniqueOptions}). */
  public boolean isUnique() {
    return uniqueOptions != null;
  }

  /** Builder of {@link NewJob}; not thread-safe. */
  public static final class Builder {
    private final String kind;
    private String queue = DEFAULT_QUEUE;
    private Object args;
    private String rawArgs = "{}";
    private int priority = DEFAULT_PRIORITY;
    private Instant runAt;
    private boolean runAtSetToNull;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private List<String> tags = List.of();
    private Map<String, Object> metadata = Map.of();
    private String uniqueKey;
    private Set<JobState> uniqueStates = JobState.DEFAULT_UNIQUE_STATES;
    private boolean uniqueStatesSet;
    private UniqueOptions unique;
    private UniqueOptions resolvedUnique;

    private Builder(String kind) {
      this.kind = kind;
    }

    /** The queue (default {@value NewJob#DEFAULT_QUEUE}). */
    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /**
     * Args as an object (a record, a map, a list, a {@code JsonNode}), serialized by the client
     * when the job is enqueued. Like {@link #argsJson}, it must serialize to a JSON object or
     * array: a scalar ({@code "x"}, {@code 42}) is refused with {@link InvalidJobException} at
     * enqueue.
     */
    public Builder args(Object args) {
      this.args = args;
      this.rawArgs = null;
      return this;
    }

    /** Args as JSON text; it must be a JSON object or array. */
    public Builder argsJson(String json) {
      this.rawArgs = json;
      this.args = null;
      return this;
    }

    /** Priority 1 (highest) to 4 (default {@value NewJob#DEFAULT_PRIORITY}). */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Runs no earlier than {@code runAt}; a time in the future makes the job scheduled. Stored to
     * the microsecond (finer digits are cut); must lie in PostgreSQL's {@code timestamptz} range.
     */
    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      this.runAtSetToNull = runAt == null;
      return this;
    }

    /** Runs no earlier than {@code delay} from now. */
    public Builder runIn(Duration delay) {
      if (delay == null) {
        throw new InvalidJobException("runIn", "must not be null");
      }
      try {
        return runAt(Instant.now().plus(delay));
      } catch (java.time.DateTimeException | ArithmeticException e) {
        throw new InvalidJobException("runIn", "must end " + PgTime.RANGE + ", was " + delay);
      }
    }

    /** Attempts allowed, 1 to {@value NewJob#MAX_ATTEMPTS_LIMIT} (default 25). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Tags, at most {@value NewJob#MAX_TAGS}. */
    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    /** Tags, at most {@value NewJob#MAX_TAGS}. */
    public Builder tags(String... tags) {
      return tags(tags == null ? null : List.of(tags));
    }

    /** Metadata stored with the job. */
    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    /**
     * Makes the job unique: while a job of the same kind with this key is in one of the {@linkplain
     * #uniqueStates covered states}, another enqueue with the key is refused. With {@link
     * #unique(UniqueOptions)} the key is one part of a wider or narrower scope.
     */
    public Builder uniqueKey(String uniqueKey) {
      this.uniqueKey = uniqueKey;
      return this;
    }

    /**
     * The states the unique key covers: every unfinished state (the default) plus, optionally,
     * finished ones (e.g. {@code COMPLETED} for "at most once ever, until cleaned up").
     */
    public Builder uniqueStates(Set<JobState> states) {
      this.uniqueStates = states;
      this.uniqueStatesSet = true;
      return this;
    }

    /**
     * Makes the job unique within {@code options}: by kind (the default), optionally by queue, args
     * and period, held in the options' states. A {@linkplain #uniqueKey(String) unique key}, if
     * set, is part of the scope too. See docs/unique-jobs.md.
     */
    public Builder unique(UniqueOptions options) {
      if (options == null) {
        throw new InvalidJobException("unique", "must not be null");
      }
      this.unique = options;
      return this;
    }

    /** Checks every field and builds the job. */
    public NewJob build() {
      checkName("kind", kind);
      checkName("queue", queue);
      if (priority < 1 || priority > 4) {
        throw new InvalidJobException("priority", "must be between 1 and 4, was " + priority);
      }
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new InvalidJobException(
            "maxAttempts", "must be between 1 and " + MAX_ATTEMPTS_LIMIT + ", was " + maxAttempts);
      }
      if (runAtSetToNull) {
        throw new InvalidJobException("runAt", "must not be null (leave it unset to run now)");
      }
      if (runAt != null && !PgTime.inRange(runAt)) {
        throw new InvalidJobException("runAt", "must be " + PgTime.RANGE + ", was " + runAt);
      }
      if (tags == null) {
        throw new InvalidJobException("tags", "must not be null");
      }
      if (tags.size() > MAX_TAGS) {
        throw new InvalidJobException(
            "tags", "at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
      }
      for (String tag : tags) {
        if (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
          throw new InvalidJobException(
              "tags", "each tag must be non-blank and at most " + MAX_TAG_LENGTH + " characters");
        }
        checkText("tags", tag);
      }
      if (metadata == null) {
        throw new InvalidJobException("metadata", "must not be null");
      }
      if (uniqueKey != null) {
        if (uniqueKey.isBlank() || uniqueKey.length() > 1000) {
          throw new InvalidJobException(
              "uniqueKey", "must be non-blank and at most 1000 characters");
        }
        checkText("uniqueKey", uniqueKey);
        if (uniqueStates == null || !uniqueStates.containsAll(JobState.DEFAULT_UNIQUE_STATES)) {
          // A key released while the job is unfinished could be taken by another job; then the
          // first job could never return to a covered state without a conflict.
          throw new InvalidJobException(
              "uniqueStates",
              "must include every unfinished state "
                  + JobState.DEFAULT_UNIQUE_STATES
                  + " and may add completed, failed or cancelled");
        }
      }
      resolvedUnique = resolveUnique();
      if (args == null && rawArgs != null) {
        checkRawJson(rawArgs);
      }
      return new NewJob(this);
    }

    /** The unique scope of the job being built, or null; the key was checked already. */
    private UniqueOptions resolveUnique() {
      if (unique == null) {
        return uniqueKey == null ? null : UniqueOptions.builder().states(uniqueStates).build();
      }
      if (uniqueStatesSet) {
        throw new InvalidJobException(
            "uniqueStates",
            "cannot be combined with unique(UniqueOptions); set UniqueOptions.Builder.states");
      }
      if (!unique.byKind()
          && uniqueKey == null
          && !unique.byQueue()
          && !unique.byArgs()
          && unique.period() == null) {
        throw new InvalidJobException(
            "unique",
            "byKind(false) needs a unique key, byQueue, byArgs or byPeriod; alone it would let one"
                + " job hold every kind");
      }
      return unique;
    }

    private static void checkName(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidJobException(field, "must not be null or blank");
      }
      if (value.length() > MAX_NAME_LENGTH) {
        throw new InvalidJobException(
            field, "must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length());
      }
      checkText(field, value);
    }

    private static void checkText(String field, String value) {
      String problem = PgText.textProblem(value);
      if (problem != null) {
        throw new InvalidJobException(field, problem);
      }
    }

    private static void checkRawJson(String json) {
      try {
        var node = Json.MAPPER.readTree(json);
        if (node == null || !(node.isObject() || node.isArray())) {
          throw new InvalidJobException("args", "must be a JSON object or array");
        }
        String problem = PgText.jsonProblem(json);
        if (problem != null) {
          throw new InvalidJobException("args", problem);
        }
      } catch (JsonProcessingException e) {
        throw new InvalidJobException("args", "is not valid JSON: " + e.getOriginalMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "NewJob[kind=" + kind + ", queue=" + queue + ", priority=" + priority + "]";
  }
}
