package dev.awa.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Progress lines while a benchmark runs, so a long run never looks hung. Each line carries the wall
 * time and the scenario prefix.
 */
public final class Progress {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintStream out;
  private final String prefix;

  /** Progress printed to {@code out}, each line prefixed with {@code [prefix]}. */
  public Progress(PrintStream out, String prefix) {
    this.out = out;
    this.prefix = prefix;
  }

  /** A progress that prints nothing (tests that do not want output). */
  public static Progress silent() {
    return new Progress(null, "");
  }

  /** The same output with another prefix. */
  public Progress withPrefix(String newPrefix) {
    return new Progress(out, newPrefix);
  }

  /** Prints one line. */
  public void line(String message) {
    if (out != null) {
      out.println(LocalTime.now().format(TIME) + " [" + prefix + "] " + message);
      out.flush();
    }
  }

  /**
   * Prints {@code status} every {@code interval} until the returned handle is closed; used around a
   * measured phase that may take a while (the printing thread does no database work).
   */
  public Ticker every(Duration interval, Supplier<String> status) {
    if (out == null) {
      return () -> {};
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "awa-bench-progress");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleAtFixedRate(() -> line(status.get()), ms, ms, TimeUnit.MILLISECONDS);
    return timer::shutdownNow;
  }

  /** Stops periodic progress lines. */
  @FunctionalInterface
  public interface Ticker extends AutoCloseable {
    @Override
    void close();
  }
}
