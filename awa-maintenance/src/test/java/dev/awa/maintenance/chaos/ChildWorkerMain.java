package dev.awa.maintenance.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.awa.core.AwaRuntime;
import java.time.Duration;

/**
 * Entry point of the child JVM that {@link KilledWorkerTest} kills with SIGKILL: a runtime with
 * slow handlers that record every execution in {@code exec_log}. Arguments: JDBC URL, user (or
 * "-"), password (or "-"), queue, concurrency, handler millis.
 */
public final class ChildWorkerMain {
  private ChildWorkerMain() {}

  /** Starts the runtime and parks until killed. */
  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    if (!"-".equals(args[1])) {
      config.setUsername(args[1]);
      config.setPassword("-".equals(args[2]) ? null : args[2]);
    }
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(0);
    config.addDataSourceProperty("ApplicationName", "awa-chaos-child");
    HikariDataSource ds = new HikariDataSource(config);
    String queue = args[3];
    int concurrency = Integer.parseInt(args[4]);
    Duration work = Duration.ofMillis(Long.parseLong(args[5]));
    AwaRuntime runtime =
        Chaos.runtime(ds, "chaos-child")
            .queue(queue, concurrency)
            .register("slow", Chaos.recording(ds, "child", work))
            .build();
    runtime.start();
    System.out.println("CHILD READY");
    System.out.flush();
    // Never closes: the test ends this process with SIGKILL, which skips every shutdown step.
    Thread.currentThread().join();
  }
}
