package dev.awa.core;

/**
 * Runs the jobs of one kind. Register one per kind with {@link AwaRuntime.Builder#register(String,
 * Worker)}; the runtime calls {@link #perform(JobContext)} on a worker thread, once per attempt.
 *
 * <p>Return a {@link JobResult} to say what happened. Any exception (checked or not) is a retryable
 * error: it is appended to the job's error list and the job is retried after the runtime's {@link
 * RetryPolicy} backoff, or failed once its attempts are spent.
 *
 * <p>Long handlers should check {@link JobContext#isCancelled()} between steps and stop early when
 * it is raised; at the queue's deadline the handler thread is also interrupted.
 */
@FunctionalInterface
public interface Worker {
  /**
   * Performs one attempt of a job.
   *
   * @param ctx the attempt: job row, typed arguments, cancellation, callbacks
   * @return the outcome; {@code null} counts as {@link JobResult#completed()}
   * @throws Exception any failure; the attempt is retried with backoff
   */
  JobResult perform(JobContext ctx) throws Exception;

  /**
   * A worker whose arguments are read into {@code argsType} with the runtime's Jackson mapper.
   *
   * @param argsType the class the job's {@code args} JSON maps to
   * @param handler the handler, given the typed arguments and the context
   */
  static <T> Worker typed(Class<T> argsType, TypedHandler<T> handler) {
    return ctx -> handler.perform(ctx.args(argsType), ctx);
  }

  /**
   * A handler of typed arguments; see {@link Worker#typed(Class, TypedHandler)}.
   *
   * @param <T> the argument type
   */
  @FunctionalInterface
  interface TypedHandler<T> {
    /** Performs one attempt with the job's arguments already mapped to {@code T}. */
    JobResult perform(T args, JobContext ctx) throws Exception;
  }
}
