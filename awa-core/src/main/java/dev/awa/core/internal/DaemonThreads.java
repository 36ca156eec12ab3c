package dev.awa.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not API. The one factory of Awa's own threads. They are daemons so that an application that
 * forgets {@code close()} can still exit; every Awa component stops its threads in {@code close()}
 * and does not rely on that.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** One unstarted daemon thread named {@code name}. */
  public static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** A factory whose threads are all named {@code name} (for single-threaded executors). */
  public static ThreadFactory named(String name) {
    return r -> thread(name, r);
  }

  /** A factory naming its threads {@code prefix1}, {@code prefix2}, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> thread(prefix + n.incrementAndGet(), r);
  }
}
