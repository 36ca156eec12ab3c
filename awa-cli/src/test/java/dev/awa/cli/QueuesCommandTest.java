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
    assertThat(awa.claim("mail", 1, Duration.ofMinutes(1), "test-worker")).isEmpty();

    Cli.Result resume = Cli.run("queues", "resume", "mail", Cli.urlOption(db));
    assertThat(resume.exitCode()).isZero();
    assertThat(resume.out().strip()).isEqualTo("queue mail resumed");
    assertThat(awa.claim("mail", 1, Duration.ofMinutes(1), "test-worker"))
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
}
