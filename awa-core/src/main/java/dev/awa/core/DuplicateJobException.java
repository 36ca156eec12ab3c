package dev.awa.core;

/** An enqueue was refused because another job holds the same unique key in a covered state. */
public final class DuplicateJobException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String uniqueKey;
  private final long existingJobId;

  /** Creates the exception; {@code existingJobId} is 0 when the holder could not be read. */
  public DuplicateJobException(String uniqueKey, long existingJobId) {
    super(
        "unique key '"
            + uniqueKey
            + "' is already held by job "
            + (existingJobId > 0 ? existingJobId : "(unknown)"));
    this.uniqueKey = uniqueKey;
    this.existingJobId = existingJobId;
  }

  /** The contested unique key. */
  public String uniqueKey() {
    return uniqueKey;
  }

  /** Id of the job holding the key, or 0 if it finished before it could be read. */
  public long existingJobId() {
    return existingJobId;
  }
}
