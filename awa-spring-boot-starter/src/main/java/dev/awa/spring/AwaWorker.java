package dev.awa.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a bean as the worker of a job kind.
 *
 * <p>On a bean class that implements {@link dev.awa.core.Worker}: the bean works {@link #kind()}.
 * On a method of any bean: the method works {@link #kind()}; its parameters may be a {@link
 * dev.awa.core.JobContext} and at most one other type, which receives the job's args mapped with
 * the application's Jackson {@code ObjectMapper}; it returns a {@link dev.awa.core.JobResult} (or
 * anything else, or void, meaning completed) and an exception means "retry with backoff".
 *
 * <pre>{@code
 * @Component
 * class Mailer {
 *   @AwaWorker(kind = "send_email", queue = "mail")
 *   void send(SendEmail email) { ... }
 * }
 * }</pre>
 *
 * <p>The runtime works {@link #queue()} (with {@code awa.queues.<name>.concurrency}, or {@code
 * awa.runtime.default-concurrency}); the kind itself is not bound to a queue, as in awa-core.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AwaWorker {
  /** The job kind this worker runs, e.g. {@code send_email}. */
  String kind();

  /** A queue the runtime must work for this kind's jobs (default {@code default}). */
  String queue() default "default";
}
