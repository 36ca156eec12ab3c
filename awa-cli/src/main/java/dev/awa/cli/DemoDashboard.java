package dev.awa.cli;

import dev.awa.core.AwaClient;
import dev.awa.web.AwaDashboard;
import java.io.PrintWriter;
import javax.sql.DataSource;

/**
 * The demo's web dashboard: started on a free port of 127.0.0.1 so a newcomer can watch the run in
 * a browser; the caller registers it in its shutdown sequence.
 */
final class DemoDashboard {
  private DemoDashboard() {}

  static AwaDashboard start(DataSource dataSource, AwaClient client, PrintWriter out) {
    AwaDashboard dashboard =
        AwaDashboard.builder(dataSource).client(client).port(0).threads(2).start();
    out.println(
        "dashboard: " + dashboard.url() + " (open it while the demo runs; --no-ui skips it)");
    out.flush();
    return dashboard;
  }
}
