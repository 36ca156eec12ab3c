package dev.awa.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts {@code threads} copies of a drain loop at the same instant and measures the wall time
 * until the last one returns. Threads are created and parked before the clock starts, so thread
 * start-up is not measured.
 */
final class ConcurrentDrain {
  /** One thread's loop; returns when it finds no more work. */
  @FunctionalInterface
  interface Loop {
    void run(int threadIndex) throws Exception;
  }

  private ConcurrentDrain() {}

  /** Runs the loops and returns the elapsed nanoseconds from the common start to the last end. */
  static long run(int threads, String threadName, Loop loop) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  loop.run(index);
                  return null;
                }));
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
      return System.nanoTime() - start;
    } finally {
      pool.shutdownNow();
    }
  }
}
