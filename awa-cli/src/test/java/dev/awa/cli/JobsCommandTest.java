package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.AwaClient;
import dev.awa.core.JobError;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class JobsCommandTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private AwaClient awa;

  @BeforeEach
  void setUp(TestDatabase db) {
    db.truncateJobs();
    awa = AwaClient.create(db.dataSource());
  }

  @Test
  void listsBothTablesNewestFirstAndFilters(TestDatabase db) throws Exception {
    JobRow mail = awa.enqueue(NewJob.builder("send_email").queue("mail").build());
    JobRow later =
        awa.enqueue(NewJob.builder("send_email").queue("mail").runIn(Duration.ofHours(1)).build());
    JobRow image = awa.enqueue(NewJob.builder("resize").queue("images").build());

    Cli.Result all = Cli.run("jobs", "list", Cli.urlOption(db));
    assertThat(all.exitCode()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +QUEUE +KIND +STATE +ATTEMPT +PRIORITY +RUN AT +CREATED");
    assertThat(lines.subList(1, lines.size()))
        .satisfiesExactly(
            l -> assertThat(l).matches(" *" + image.id() + " +images +resize +available +0/25 .*"),
            l -> assertThat(l).matches(" *" + later.id() + " +mail +send_email +scheduled .*"),
            l -> assertThat(l).matches(" *" + mail.id() + " +mail +send_email +available .*"));

    assertThat(ids("--state", "scheduled", Cli.urlOption(db))).containsExactly(later.id());
    assertThat(ids("--state", "AVAILABLE", "--queue", "mail", Cli.urlOption(db)))
        .containsExactly(mail.id());
    assertThat(ids("--kind", "resize", Cli.urlOption(db))).containsExactly(image.id());
    assertThat(ids("--limit", "2", Cli.urlOption(db))).containsExactly(image.id(), later.id());

    Cli.Result none = Cli.run("jobs", "list", "--queue", "nothing-here", Cli.urlOption(db));
    assertThat(none.exitCode()).isZero();
    assertThat(none.out().strip()).isEqualTo("no jobs match");
  }

  @Test
  void badFilterValuesAreUsageErrorsWithOneLine(TestDatabase db) {
    Cli.Result state = Cli.run("jobs", "list", "--state", "bogus", Cli.urlOption(db));
    assertThat(state.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(state.errorLine()).contains("unknown state 'bogus'").contains("waiting_external");
    assertThat(state.out()).isEmpty();

    for (String limit : List.of("0", "10001", "-5")) {
      Cli.Result result = Cli.run("jobs", "list", "--limit", limit, Cli.urlOption(db));
      assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.errorLine()).contains("--limit must be between 1 and 10000");
    }

    Cli.Result notANumber = Cli.run("jobs", "show", "twelve", Cli.urlOption(db));
    assertThat(notANumber.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notANumber.errorLine()).contains("'twelve' is not a long");
  }

  @Test
  void showPrintsEveryFieldAndJsonKeepsArgsAsJson(TestDatabase db) throws Exception {
    JobRow job =
        awa.enqueue(
            NewJob.builder("send_email")
                .queue("mail")
                .args(Map.of("to", "ada@example.com"))
                .tags("welcome")
                .build());

    Cli.Result text = Cli.run("jobs", "show", String.valueOf(job.id()), Cli.urlOption(db));
    assertThat(text.exitCode()).isZero();
    assertThat(text.out())
        .containsPattern("(?m)^kind +send_email$")
        .containsPattern("(?m)^state +available$")
        .containsPattern("(?m)^tags +welcome$")
        .contains("\"to\" : \"ada@example.com\"");

    Cli.Result json =
        Cli.run("jobs", "show", String.valueOf(job.id()), "--json", Cli.urlOption(db));
    JsonNode node = mapper.readTree(json.out());
    assertThat(node.get("id").asLong()).isEqualTo(job.id());
    assertThat(node.get("args").get("to").asText()).isEqualTo("ada@example.com");
    assertThat(node.get("state").asText()).isEqualTo("available");
  }

  @Test
  void unknownJobIdIsNotFound(TestDatabase db) {
    for (String command : List.of("show", "retry", "cancel")) {
      Cli.Result result = Cli.run("jobs", command, "987654321", Cli.urlOption(db));
      assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(result.errorLine()).isEqualTo("awa: job 987654321 not found");
    }
  }

  @Test
  void retryMakesAFailedJobAvailableAndRefusesARunningOne(TestDatabase db) {
    awa.enqueue(NewJob.builder("send_email").queue("retry-q").maxAttempts(1).build());
    JobRow claimed = awa.leases().claim("retry-q", 1, Duration.ofMinutes(1), "test-worker").get(0);

    Cli.Result running = Cli.run("jobs", "retry", String.valueOf(claimed.id()), Cli.urlOption(db));
    assertThat(running.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(running.errorLine()).contains("is running");

    awa.leases().fail(claimed, JobError.of(1, new IllegalStateException("smtp down")));
    assertThat(awa.operator().getJob(claimed.id()).orElseThrow().state())
        .isEqualTo(JobState.FAILED);

    Cli.Result retried = Cli.run("jobs", "retry", String.valueOf(claimed.id()), Cli.urlOption(db));
    assertThat(retried.exitCode()).isZero();
    assertThat(retried.out()).contains("job " + claimed.id() + " is available again");
    JobRow after = awa.operator().getJob(claimed.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(after.maxAttempts()).isEqualTo(2);
    assertThat(awa.leases().claim("retry-q", 1, Duration.ofMinutes(1), "test-worker"))
        .extracting(JobRow::id)
        .containsExactly(claimed.id());
  }

  @Test
  void retryOfAUniqueJobWhoseKeyASuccessorHoldsExitsWithConflictNamingTheHolder(TestDatabase db) {
    awa.enqueue(NewJob.builder("report").queue("unique-q").uniqueKey("report-12").build());
    JobRow first = awa.leases().claim("unique-q", 1, Duration.ofMinutes(1), "test-worker").get(0);
    awa.leases().complete(first);
    JobRow successor =
        awa.enqueue(NewJob.builder("report").queue("unique-q").uniqueKey("report-12").build());

    Cli.Result refused = Cli.run("jobs", "retry", String.valueOf(first.id()), Cli.urlOption(db));
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(refused.errorLine())
        .isEqualTo(
            "awa: job "
                + first.id()
                + " cannot be retried: its unique key 'report-12' is held by job "
                + successor.id());
    assertThat(awa.operator().getJob(first.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
  }

  @Test
  void cancelStopsScheduledAndAvailableJobsButNotFinishedOnes(TestDatabase db) {
    JobRow scheduled =
        awa.enqueue(NewJob.builder("report").queue("cancel-q").runIn(Duration.ofHours(1)).build());
    JobRow available = awa.enqueue(NewJob.builder("report").queue("cancel-q").build());

    for (JobRow job : List.of(scheduled, available)) {
      Cli.Result result = Cli.run("jobs", "cancel", String.valueOf(job.id()), Cli.urlOption(db));
      assertThat(result.exitCode()).isZero();
      assertThat(result.out().strip()).isEqualTo("job " + job.id() + " cancelled");
      assertThat(awa.operator().getJob(job.id()).orElseThrow().state())
          .isEqualTo(JobState.CANCELLED);
    }

    Cli.Result again = Cli.run("jobs", "cancel", String.valueOf(available.id()), Cli.urlOption(db));
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(again.errorLine()).contains("already cancelled");
  }

  private List<Long> ids(String... args) throws Exception {
    String[] all = new String[args.length + 3];
    all[0] = "jobs";
    all[1] = "list";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 1] = "--json";
    Cli.Result result = Cli.run(all);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return mapper.readTree(result.out()).findValues("id").stream().map(JsonNode::asLong).toList();
  }
}
