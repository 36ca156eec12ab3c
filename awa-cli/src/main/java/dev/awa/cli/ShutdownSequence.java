package dev.awa.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what the demo opened, newest first (runtime, maintenance, pool, embedded server, ...),
 * exactly once, whether the demo ends normally or the JVM is stopped with Ctrl-C. Without the
 * shutdown hook an interrupted demo would leave a postgres process and its data directory behind.
 */
final class ShutdownSequence implements AutoCloseable {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeQuietly, "awa-demo-shutdown");
  private boolean closed;

  ShutdownSequence() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers {@code resource} to be closed before everything registered earlier. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    if (closed) {
      throw new IllegalStateException("already shut down");
    }
    resources.push(resource);
    return resource;
  }

  /** Closes {@code resource} now instead of at the end, e.g. the runtime before the summary. */
  synchronized void closeNow(AutoCloseable resource) {
    if (resources.remove(resource)) {
      closeOne(resource);
    }
  }

  private synchronized void closeQuietly() {
    if (closed) {
      return;
    }
    closed = true;
    while (!resources.isEmpty()) {
      closeOne(resources.pop());
    }
  }

  private static void closeOne(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // Keep closing the rest: a failed runtime close must not leave the server running.
    }
  }

  @Override
  public void close() {
    closeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook found nothing left to do.
    }
  }
}
