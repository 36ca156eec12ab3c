package dev.awa.cli;

import dev.awa.web.AwaDashboard;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code awa ui}: serves the web dashboard (awa-web) for one database until Ctrl-C. Credentials
 * come from the environment, never from the command line, so they do not show in {@code ps}.
 */
@Command(
    name = "ui",
    description = {
      "Serve the web dashboard: queues, jobs, maintenance and periodic jobs in a browser, with"
          + " retry, cancel, delete and pause actions (none with --read-only).",
      "Authentication from the environment: AWA_UI_TOKEN (bearer token, at least 16 characters;"
          + " open the printed /login URL once) or AWA_UI_USER and AWA_UI_PASSWORD (basic auth)."
    })
final class UiCommand implements Callable<Integer> {
  /** Request threads of the dashboard, each holding at most one connection. */
  private static final int POOL_SIZE = 4;

  @Mixin DatabaseOptions databaseOptions;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String bind;

  @Option(names = "--read-only", description = "Hide and refuse every action.")
  boolean readOnly;

  private final CountDownLatch stopSignal = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new CliException(ExitCodes.USAGE, "--port must be between 0 and 65535");
    }
    PrintWriter out = spec.commandLine().getOut();
    String token = System.getenv("AWA_UI_TOKEN");
    String user = System.getenv("AWA_UI_USER");
    String password = System.getenv("AWA_UI_PASSWORD");
    Database db = Database.open(databaseOptions.jdbcUrl(), POOL_SIZE, "awa-ui");
    AwaDashboard dashboard;
    try {
      db.verifySchema();
      AwaDashboard.Builder b =
          AwaDashboard.builder(db.dataSource()).port(port).readOnly(readOnly).threads(POOL_SIZE);
      try {
        b.bind(bind);
        if (token != null && !token.isEmpty()) {
          b.bearerToken(token);
        }
        if (user != null && !user.isEmpty()) {
          b.basicAuth(user, password);
        }
        dashboard = b.start();
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    // Ctrl-C (the shutdown hook) or stop() ends the wait; closing happens here, on this thread,
    // and the hook waits for it so the JVM does not exit with the pool half closed.
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopSignal.countDown();
              try {
                closed.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "awa-ui-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean authenticated =
        (token != null && !token.isEmpty()) || (user != null && !user.isEmpty());
    out.println(
        "awa dashboard: "
            + (token != null && !token.isEmpty()
                ? dashboard.url() + "login?token=<AWA_UI_TOKEN>"
                : dashboard.url().toString())
            + (readOnly ? " (read-only)" : "")
            + " on "
            + db.target()
            + "; Ctrl-C stops it");
    if (!authenticated && !dashboard.url().getHost().startsWith("127.")) {
      out.println(
          "warning: listening beyond this machine without authentication; set AWA_UI_TOKEN or"
              + " AWA_UI_USER/AWA_UI_PASSWORD");
    }
    out.flush();
    try {
      stopSignal.await();
    } finally {
      dashboard.close();
      db.close();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is what woke us.
      }
    }
    return ExitCodes.OK;
  }

  /** Ends a running {@code awa ui} as Ctrl-C would (tests). */
  void stop() {
    stopSignal.countDown();
  }
}
