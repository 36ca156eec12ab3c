package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code awa cron} over CronAdmin, and the flag on schedules whose kind no live runtime works. The
 * schedules are rows as a MaintenanceService's cron_sync writes them.
 */
@AwaTest
class CronCommandTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @BeforeEach
  void schedules(TestDatabase db) {
    db.truncateJobs();
    db.update("DELETE FROM awa.cron_jobs");
    db.update("DELETE FROM awa.runtime_instances");
    db.update(
        "INSERT INTO awa.cron_jobs (name, expression, kind, queue) VALUES"
            + " ('nightly-report', '0 0 3 * * *', 'report', 'default'),"
            + " ('old-cleanup', '0 */5 * * * *', 'legacy_cleanup', 'default')");
  }

  @Test
  void listShowsEverySchedulesNextFireAndFlagsKindsNobodyWorks(TestDatabase db) throws Exception {
    try (AwaRuntime runtime =
        AwaRuntime.builder(db.dataSource())
            .register("report", ctx -> JobResult.completed())
            .queue("default", 1)
            .build()) {
      runtime.start();

      Cli.Result list = Cli.run("cron", "list", Cli.urlOption(db));
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.out().lines())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .matches(
                          "nightly-report +0 0 3 \\* \\* \\* +UTC +report +default +no +- +\\S+T03:00:00Z"
                              + " +yes"))
          .anySatisfy(l -> assertThat(l).matches("old-cleanup .* legacy_cleanup .* NONE"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith(
                          "warning: schedule old-cleanup enqueues kind legacy_cleanup, which no"
                              + " live runtime registers"));
      assertThat(list.out()).doesNotContain("warning: schedule nightly-report");

      JsonNode json = mapper.readTree(Cli.run("cron", "list", "--json", Cli.urlOption(db)).out());
      assertThat(json).hasSize(2);
      assertThat(json.get(0).get("name").asText()).isEqualTo("nightly-report");
      assertThat(json.get(0).get("kind_registered").asBoolean()).isTrue();
      assertThat(json.get(1).get("kind_registered").asBoolean()).isFalse();

      Cli.Result status = Cli.run("status", Cli.urlOption(db));
      assertThat(status.out())
          .contains("Periodic jobs")
          .contains("warning: schedule old-cleanup enqueues kind legacy_cleanup")
          .doesNotContain("warning: schedule nightly-report");
      JsonNode statusJson = mapper.readTree(Cli.run("status", "--json", Cli.urlOption(db)).out());
      assertThat(statusJson.get("periodic_jobs")).hasSize(2);
    }
    // The runtime is gone: now nobody works "report" either.
    assertThat(Cli.run("cron", "list", Cli.urlOption(db)).out())
        .contains("warning: schedule nightly-report enqueues kind report");
  }

  @Test
  void pauseResumeTriggerDeleteAndNotFound(TestDatabase db) {
    Cli.Result pause = Cli.run("cron", "pause", "old-cleanup", Cli.urlOption(db));
    assertThat(pause.exitCode()).as(pause.err()).isZero();
    assertThat(pause.out().strip()).isEqualTo("schedule old-cleanup paused");
    assertThat(db.queryLong("SELECT count(*) FROM awa.cron_jobs WHERE paused")).isOne();
    assertThat(Cli.run("cron", "list", Cli.urlOption(db)).out().lines())
        .anySatisfy(l -> assertThat(l).matches("old-cleanup .* yes +- +- +NONE"));

    Cli.Result resume = Cli.run("cron", "resume", "old-cleanup", Cli.urlOption(db));
    assertThat(resume.exitCode()).as(resume.err()).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.cron_jobs WHERE paused")).isZero();

    Cli.Result trigger = Cli.run("cron", "trigger", "nightly-report", Cli.urlOption(db));
    assertThat(trigger.exitCode()).as(trigger.err()).isZero();
    long jobId = db.queryLong("SELECT id FROM awa.jobs WHERE kind = 'report'");
    assertThat(trigger.out().strip()).isEqualTo("schedule nightly-report triggered: job " + jobId);

    Cli.Result delete = Cli.run("cron", "delete", "old-cleanup", Cli.urlOption(db));
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(db.queryStrings("SELECT name FROM awa.cron_jobs")).containsExactly("nightly-report");

    for (String action : new String[] {"pause", "resume", "trigger", "delete"}) {
      Cli.Result missing = Cli.run("cron", action, "old-cleanup", Cli.urlOption(db));
      assertThat(missing.exitCode()).as(action).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(missing.errorLine())
          .isEqualTo("awa: schedule old-cleanup not found (see 'awa cron list')");
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isOne();
  }
}
