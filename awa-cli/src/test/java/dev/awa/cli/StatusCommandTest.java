package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class StatusCommandTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @BeforeEach
  void clean(TestDatabase db) {
    db.truncateJobs();
  }

  @Test
  void emptyDatabaseSaysSoInEverySection(TestDatabase db) {
    Cli.Result result = Cli.run("status", Cli.urlOption(db));
    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains("(no jobs and no paused queues)")
        .contains("Leader: none")
        .contains("(none registered)")
        .contains("no maintenance leader has run");
  }

  @Test
  void showsCountsPerQueueAndStateAcrossBothTables(TestDatabase db) throws Exception {
    AwaClient awa = AwaClient.create(db.dataSource());
    JobRow old = awa.enqueue(NewJob.builder("send_email").queue("mail").build());
    awa.enqueue(NewJob.builder("send_email").queue("mail").build());
    awa.enqueue(NewJob.builder("report").queue("mail").runIn(Duration.ofHours(1)).build());
    awa.enqueue(NewJob.builder("resize").queue("images").build());
    awa.operator().cancelJob(awa.enqueue(NewJob.builder("resize").queue("images").build()).id());
    db.backdateRunAt(old.id(), Duration.ofMinutes(10));
    awa.operator().pauseQueue("idle");

    Cli.Result text = Cli.run("status", Cli.urlOption(db));
    assertThat(text.exitCode()).isZero();
    assertThat(text.out().lines())
        .anySatisfy(
            line -> assertThat(line).matches("mail +no +2 +0 +1 +0 +0 +0 +0 +0 +10m\\d\\ds"))
        .anySatisfy(line -> assertThat(line).matches("images +no +1 +0 +0 +0 +0 +0 +0 +1 +\\S+"))
        .anySatisfy(line -> assertThat(line).matches("idle +yes( +0){8} +-"));

    Cli.Result json = Cli.run("status", "--json", Cli.urlOption(db));
    assertThat(json.exitCode()).isZero();
    JsonNode queues = mapper.readTree(json.out()).get("queues");
    // Sorted by name: idle, images, mail.
    assertThat(queues).hasSize(3);
    JsonNode mail = queues.get(2);
    assertThat(mail.get("queue").asText()).isEqualTo("mail");
    assertThat(mail.get("counts").get("available").asLong()).isEqualTo(2);
    assertThat(mail.get("counts").get("scheduled").asLong()).isEqualTo(1);
    assertThat(mail.get("lag_seconds").asDouble()).isGreaterThanOrEqualTo(600);
    JsonNode idle = queues.get(0);
    assertThat(idle.get("queue").asText()).isEqualTo("idle");
    assertThat(idle.get("paused").asBoolean()).isTrue();
    assertThat(idle.get("lag_seconds").isNull()).isTrue();
  }

  @Test
  void showsRuntimeInstancesTheLeaderAndMaintenanceBranches(TestDatabase db) throws Exception {
    db.update(
        "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, is_leader, leader_since)"
            + " VALUES ('worker-a', 'host-a', 101, true, now()), ('worker-b', 'host-b', 102,"
            + " false, null)");
    db.update(
        "INSERT INTO awa.maintenance_branches (branch, loop_name, leader_instance,"
            + " last_started_at, last_duration_ms, overrun_state, overrun_episodes, last_error)"
            + " VALUES ('promote_scheduled', 'urgent', 'worker-a', now(), 12.5, 'on_time', 0,"
            + " null), ('cleanup', 'hygiene', 'worker-a', now(), 95000, 'delayed', 2,"
            + " 'canceling statement due to statement timeout')");

    Cli.Result text = Cli.run("status", Cli.urlOption(db));
    assertThat(text.exitCode()).isZero();
    assertThat(text.out()).contains("Leader: worker-a on host-a since ");
    assertThat(text.out().lines())
        .anySatisfy(line -> assertThat(line).matches("worker-a +host-a +101 +\\S+ +.* ago +yes"))
        .anySatisfy(line -> assertThat(line).matches("worker-b +host-b +102 +\\S+ +.* ago +no"));
    // Urgent branches come first: they are the ones whose delay users notice.
    assertThat(text.out().indexOf("promote_scheduled")).isLessThan(text.out().indexOf("cleanup"));
    assertThat(text.out().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches("cleanup +hygiene +.* ago +1m35s +delayed +2 +canceling statement.*"));

    JsonNode json = mapper.readTree(Cli.run("status", "--json", Cli.urlOption(db)).out());
    assertThat(json.get("leader").get("instance_id").asText()).isEqualTo("worker-a");
    assertThat(json.get("runtime_instances")).hasSize(2);
    JsonNode cleanup = json.get("maintenance_branches").get(1);
    assertThat(cleanup.get("branch").asText()).isEqualTo("cleanup");
    assertThat(cleanup.get("overrun_state").asText()).isEqualTo("delayed");
    assertThat(cleanup.get("overrun_episodes").asLong()).isEqualTo(2);
  }
}
