package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every awa.* property with a value outside its limit fails start-up with an {@link
 * AwaPropertyException} naming the property, which the failure analyzer reports with the limit.
 */
@AwaTest
class PropertyValidationTest {
  private final TestDatabase db;

  PropertyValidationTest(TestDatabase db) {
    this.db = db;
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("awa.queues.mail.concurrency", "between 1 and 10000", "awa.queues.mail.concurrency=0"),
        bad(
            "awa.queues.mail.concurrency",
            "between 1 and 10000",
            "awa.queues.mail.concurrency=10001"),
        bad("awa.queues.mail.deadline", "positive", "awa.queues.mail.deadline=0s"),
        bad("awa.runtime.default-concurrency", "between 1", "awa.runtime.default-concurrency=0"),
        bad("awa.runtime.default-deadline", "between", "awa.runtime.default-deadline=8d"),
        bad("awa.runtime.poll-interval", "between", "awa.runtime.poll-interval=1ms"),
        bad("awa.runtime.claim-batch-size", "between 1", "awa.runtime.claim-batch-size=0"),
        bad("awa.runtime.heartbeat-interval", "between", "awa.runtime.heartbeat-interval=1ms"),
        bad("awa.runtime.heartbeat-staleness", "between", "awa.runtime.heartbeat-staleness=10ms"),
        bad(
            "awa.runtime.heartbeat-staleness",
            "must exceed heartbeatInterval",
            "awa.runtime.heartbeat-interval=10s",
            "awa.runtime.heartbeat-staleness=5s"),
        bad(
            "awa.runtime.drain-timeout",
            "less than spring.lifecycle.timeout-per-shutdown-phase",
            "awa.runtime.drain-timeout=5s"),
        bad(
            "awa.runtime.completer-flush-interval",
            "between",
            "awa.runtime.completer-flush-interval=2s"),
        bad("awa.runtime.listener-url", "jdbc:postgresql:", "awa.runtime.listener-url=mysql://x"),
        bad(
            "awa.runtime.instance-id",
            "200 characters",
            "awa.runtime.instance-id=" + "x".repeat(201)),
        bad(
            "awa.maintenance.election-interval",
            "between",
            "awa.maintenance.election-interval=1ms"),
        bad(
            "awa.maintenance.health-check-interval",
            "between",
            "awa.maintenance.health-check-interval=1ms"),
        bad(
            "awa.maintenance.health-check-timeout",
            "between",
            "awa.maintenance.health-check-timeout=1ms"),
        bad(
            "awa.maintenance.statement-timeout",
            "between",
            "awa.maintenance.statement-timeout=1ms"),
        bad("awa.maintenance.shutdown-timeout", "between", "awa.maintenance.shutdown-timeout=11m"),
        bad(
            "awa.maintenance.intervals.promote_scheduled",
            "between",
            "awa.maintenance.intervals.promote_scheduled=1ms"),
        bad(
            "awa.maintenance.intervals.nope",
            "unknown branch",
            "awa.maintenance.intervals.nope=1s"),
        bad(
            "awa.maintenance.disabled-branches",
            "unknown branch",
            "awa.maintenance.disabled-branches=nope"),
        bad(
            "awa.maintenance.retention.completed",
            "between",
            "awa.maintenance.retention.completed=0s"),
        bad(
            "awa.maintenance.retention.running",
            "completed, failed or cancelled",
            "awa.maintenance.retention.running=1h"),
        bad("awa.maintenance.leader-url", "jdbc:postgresql:", "awa.maintenance.leader-url=pg://x"),
        bad(
            "awa.periodic.report.cron",
            "fields",
            "awa.periodic.report.cron=every day",
            "awa.periodic.report.kind=report"),
        bad("awa.periodic.report.kind", "required", "awa.periodic.report.cron=0 3 * * *"),
        bad(
            "awa.periodic.report.zone",
            "time zone",
            "awa.periodic.report.cron=0 3 * * *",
            "awa.periodic.report.kind=report",
            "awa.periodic.report.zone=Mars/Olympus"),
        bad(
            "awa.periodic.report.queue",
            "200 characters",
            "awa.periodic.report.cron=0 3 * * *",
            "awa.periodic.report.kind=report",
            "awa.periodic.report.queue=" + "q".repeat(201)),
        bad(
            "awa.dashboard.port",
            "between 0 and 65535",
            "awa.dashboard.enabled=true",
            "awa.dashboard.port=-1"),
        bad(
            "awa.dashboard.port",
            "between 0 and 65535",
            "awa.dashboard.enabled=true",
            "awa.dashboard.port=65536"),
        bad(
            "awa.dashboard.bind",
            "must be an address",
            "awa.dashboard.enabled=true",
            "awa.dashboard.bind= "),
        bad(
            "awa.dashboard.token",
            "at least 16 characters",
            "awa.dashboard.enabled=true",
            "awa.dashboard.token=short"),
        bad(
            "awa.dashboard.token",
            "not both",
            "awa.dashboard.enabled=true",
            "awa.dashboard.token=0123456789abcdef-token",
            "awa.dashboard.username=ops",
            "awa.dashboard.password=s3cret-pass"),
        bad(
            "awa.dashboard.password",
            "required",
            "awa.dashboard.enabled=true",
            "awa.dashboard.username=ops"),
        bad(
            "awa.dashboard.username",
            "required",
            "awa.dashboard.enabled=true",
            "awa.dashboard.password=s3cret-pass"),
        bad(
            "awa.dashboard.username",
            "without ':'",
            "awa.dashboard.enabled=true",
            "awa.dashboard.username=o:ps",
            "awa.dashboard.password=s3cret-pass"),
        bad(
            "awa.dashboard.password",
            "at least 8 characters",
            "awa.dashboard.enabled=true",
            "awa.dashboard.username=ops",
            "awa.dashboard.password=short"));
  }

  private static Arguments bad(String property, String limit, String... values) {
    return Arguments.of(property, limit, values);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValueFailsStartUpNamingTheProperty(String property, String limit, String[] values) {
    Contexts.runner(db)
        .withPropertyValues(values)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              StartupFailures.assertNames(ctx.getStartupFailure(), property, limit);
            });
    // Nothing started: the database holds no runtime row and no leader.
    assertThat(db.queryLong("SELECT count(*) FROM awa.runtime_instances")).isZero();
  }
}
