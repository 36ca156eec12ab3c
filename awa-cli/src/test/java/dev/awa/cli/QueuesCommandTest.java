package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@AwaTest
class QueuesCommandTest {

  @Test
  void pauseStopsClaimsAndResumeLetsThemThrough(TestDatabase db) {
    AwaClient awa = AwaClient.create(db.dataSource());
    long id = awa.enqueue(NewJob.builder("send_email").queue("mail").build()).id();

    Cli.Result pause = Cli.run("queues", "pause", "mail", Cli.urlOption(db));
    assertThat(pause.exitCode()).isZero();
    assertThat(pause.out().strip()).isEqualTo("queue mail paused");
    assertThat(awa.leases().claim("mail", 1, Duration.ofMinutes(1), "test-worker")).isEmpty();

    Cli.Result resume = Cli.run("queues", "resume", "mail", Cli.urlOption(db));
    assertThat(resume.exitCode()).isZero();
    assertThat(resume.out().strip()).isEqualTo("queue mail resumed");
    assertThat(awa.leases().claim("mail", 1, Duration.ofMinutes(1), "test-worker"))
        .singleElement()
        .satisfies(job -> assertThat(job.id()).isEqualTo(id));
  }

  @Test
  void missingOrBlankQueueNameIsAUsageError(TestDatabase db) {
    long pauseRowsBefore = db.queryLong("SELECT count(*) FROM awa.queue_meta");
    Cli.Result result = Cli.run("queues", "pause", Cli.urlOption(db));
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.errorLine()).contains("Missing required parameter: 'QUEUE'");

    Cli.Result blank = Cli.run("queues", "pause", " ", Cli.urlOption(db));
    assertThat(blank.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(blank.errorLine())
        .isEqualTo("awa: queue: must be non-blank and at most 200 characters");
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta")).isEqualTo(pauseRowsBefore);
  }

  @Test
  void pausingOrResumingAQueueNothingNamesIsNotFoundUnlessCreate(TestDatabase db) {
    long pauseRowsBefore = db.queryLong("SELECT count(*) FROM awa.queue_meta");
    for (String action : new String[] {"pause", "resume"}) {
      Cli.Result result = Cli.run("queues", action, "mial", Cli.urlOption(db));
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(result.errorLine())
          .isEqualTo(
              "awa: queue mial not found: no job, worker, schedule or pause flag names it"
                  + " (--create to "
                  + action
                  + " it anyway)");
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta")).isEqualTo(pauseRowsBefore);

    Cli.Result created = Cli.run("queues", "pause", "later", "--create", Cli.urlOption(db));
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().strip()).isEqualTo("queue later paused");
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta WHERE queue = 'later' AND paused"))
        .isOne();
    // Now the pause flag names it: resuming needs no --create.
    assertThat(Cli.run("queues", "resume", "later", Cli.urlOption(db)).exitCode()).isZero();
  }

  @Test
  void aQueueNamedOnlyByAScheduleOrAWorkerExists(TestDatabase db) {
    db.update(
        "INSERT INTO awa.cron_jobs (name, expression, kind, queue) VALUES ('nightly', '0 0 3 * * *',"
            + " 'report', 'reports')");
    db.update(
        "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, queues)"
            + " VALUES ('w1', 'h', 1, '{\"images\": {\"concurrency\": 4}}')");
    assertThat(Cli.run("queues", "pause", "reports", Cli.urlOption(db)).exitCode()).isZero();
    assertThat(Cli.run("queues", "pause", "images", Cli.urlOption(db)).exitCode()).isZero();
    db.update("DELETE FROM awa.cron_jobs");
    db.update("DELETE FROM awa.runtime_instances");
  }
}
