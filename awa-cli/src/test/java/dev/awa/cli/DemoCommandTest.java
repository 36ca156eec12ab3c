package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code awa demo} against the test database (saves starting a second server). Correctness only:
 * every enqueued job is accounted for and the hung job was rescued, whatever the machine's speed.
 */
@AwaTest
class DemoCommandTest {
  static final Pattern CORRECTNESS =
      Pattern.compile(
          "Correctness: (\\d+) enqueued \\+ (\\d+) periodic = (\\d+) completed \\+ (\\d+)"
              + " failed \\+ (\\d+) cancelled \\+ (\\d+) still queued \\+ (\\d+) lost;"
              + " lost = (\\d+), rescued = (\\d+) -> OK");

  @Test
  void fiveSecondDemoCompletesJobsRescuesTheHungOneAndLosesNothing(TestDatabase db) {
    Cli.Result result = Cli.run("demo", "--duration", "5s", Cli.urlOption(db));

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertSummaryShowsCompletedRescuedAndNothingLost(result.out());
    assertThat(result.out())
        .contains("Jobs by queue and state", "Maintenance branches", "rescue_expired_deadlines")
        .contains("completed on attempt 3", "through completeCallback");
    // Against a given server the demo removes its schedule so no later leader keeps firing it.
    assertThat(db.queryLong("SELECT count(*) FROM awa.cron_jobs")).isZero();
  }

  /** Shared with the embedded end-to-end test. */
  static void assertSummaryShowsCompletedRescuedAndNothingLost(String out) {
    Matcher m = CORRECTNESS.matcher(out);
    assertThat(m.find()).as("correctness line in:%n%s", out).isTrue();
    long enqueued = Long.parseLong(m.group(1));
    long completed = Long.parseLong(m.group(3));
    long lost = Long.parseLong(m.group(8));
    long rescued = Long.parseLong(m.group(9));
    assertThat(enqueued).isPositive();
    assertThat(completed).isPositive();
    assertThat(lost).isZero();
    assertThat(rescued).isGreaterThanOrEqualTo(1);
  }
}
