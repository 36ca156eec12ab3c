package dev.awa.core;

/**
 * An enqueue (or an operator's retry of a finished job) was refused because another job holds the
 * same unique scope in one of its holding states (see {@link UniqueOptions}). Nothing was written:
 * a batch is refused whole.
 */
public final class DuplicateJobException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String kind;
  private final String uniqueKey;
  private final long existingJobId;

  /** Creates the exception for a job whose kind is not known. */
  public DuplicateJobException(String uniqueKey, long existingJobId) {
    this(null, uniqueKey, existingJobId);
  }

  /**
   * Creates the exception.
   *
   * @param kind kind of the refused job
   * @param uniqueKey unique key of the refused job, or null when its scope has no key
   * @param existingJobId id of the job holding the scope
   */
  public DuplicateJobException(String kind, String uniqueKey, long existingJobId) {
    super(
        "unique job"
            + (kind == null ? "" : " of kind '" + kind + "'")
            + (uniqueKey == null ? "" : " with unique key '" + uniqueKey + "'")
            + " is already held by job "
            + existingJobId);
    this.kind = kind;
    this.uniqueKey = uniqueKey;
    this.existingJobId = existingJobId;
  }

  /** Kind of the refused job, or null when not known. */
  public String kind() {
    return kind;
  }

  /** Unique key of the refused job, or null when its scope has no key. */
  public String uniqueKey() {
    return uniqueKey;
  }

  /**
   * Id of the job that held the scope when the enqueue was refused. The database reports it with
   * the refusal, so it is always a real job id, even when that job was enqueued earlier in the same
   * transaction or finished a moment later.
   */
  public long existingJobId() {
    return existingJobId;
  }
}
