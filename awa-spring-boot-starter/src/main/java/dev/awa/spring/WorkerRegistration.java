package dev.awa.spring;

import dev.awa.core.NewJob;
import dev.awa.core.Worker;
import java.util.Objects;

/**
 * A worker declared as a bean without an annotation: its kind, the queue the runtime must work for
 * it, and the worker.
 *
 * <pre>{@code
 * @Bean
 * WorkerRegistration sendEmail(Mailer mailer) {
 *   return WorkerRegistration.of("send_email", "mail",
 *       Worker.typed(SendEmail.class, (email, ctx) -> mailer.send(email)));
 * }
 * }</pre>
 *
 * @param kind the job kind, non-blank, at most {@value NewJob#MAX_NAME_LENGTH} characters
 * @param queue a queue the runtime works for it, non-blank, at most {@value NewJob#MAX_NAME_LENGTH}
 *     characters
 * @param worker the worker
 */
public record WorkerRegistration(String kind, String queue, Worker worker) {
  /** Checks the fields; a bad one throws {@link AwaPropertyException} naming it. */
  public WorkerRegistration {
    checkName("kind", kind);
    checkName("queue", queue);
    Objects.requireNonNull(worker, "worker");
  }

  /** The worker of {@code kind} on the {@code default} queue. */
  public static WorkerRegistration of(String kind, Worker worker) {
    return new WorkerRegistration(kind, NewJob.DEFAULT_QUEUE, worker);
  }

  /** The worker of {@code kind}, making the runtime work {@code queue}. */
  public static WorkerRegistration of(String kind, String queue, Worker worker) {
    return new WorkerRegistration(kind, queue, worker);
  }

  private static void checkName(String field, String value) {
    if (value == null || value.isBlank() || value.length() > NewJob.MAX_NAME_LENGTH) {
      throw new AwaPropertyException(
          "worker " + field,
          "must be non-blank and at most "
              + NewJob.MAX_NAME_LENGTH
              + " characters, was '"
              + value
              + "'");
    }
  }
}
