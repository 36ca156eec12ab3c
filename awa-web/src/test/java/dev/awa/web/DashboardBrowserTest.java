package dev.awa.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver), next to a real
 * worker runtime. Each test saves a screenshot under {@code target/screenshots/} (the ones in
 * docs/images/ come from here). Skipped with a one-line reason when the binaries are absent.
 */
@AwaTest
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(30);

  static AwaClient client;
  static AwaRuntime runtime;
  static AwaDashboard dashboard;
  static dev.awa.maintenance.MaintenanceService maintenance;
  static Path profile;
  ChromeDriver browser;
  final TestDatabase db;

  DashboardBrowserTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void start(TestDatabase db) throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser tests skipped: /usr/bin/chromium or /usr/bin/chromedriver is not installed");
    Files.createDirectories(SHOTS);
    client = AwaClient.create(db.dataSource());
    runtime =
        AwaRuntime.builder(db.dataSource())
            .client(client)
            .queue("mail", 4)
            .queue("billing", 2)
            .pollInterval(Duration.ofMillis(100))
            .register("send_email", ctx -> JobResult.completed())
            .register(
                "charge_card",
                ctx -> {
                  // Fails the first attempt for good (max attempts 1), completes once retried.
                  if (ctx.attempt() == 1) {
                    throw new IllegalStateException(
                        "payment provider said no: <script>alert('card')</script>");
                  }
                  return JobResult.completed();
                })
            .build();
    runtime.start();
    maintenance =
        dev.awa.maintenance.MaintenanceService.builder(db.dataSource())
            .electionInterval(Duration.ofMillis(200))
            .interval(
                dev.awa.maintenance.MaintenanceService.REFRESH_ADMIN_METADATA,
                Duration.ofSeconds(1))
            .build()
            .start();
    dashboard = AwaDashboard.builder(db.dataSource()).port(0).client(client).start();
    profile = Files.createTempDirectory("awa-chromium-");
  }

  @AfterAll
  static void stop() {
    if (dashboard != null) {
      dashboard.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (maintenance != null) {
      maintenance.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    db.truncateJobs();
    db.update("TRUNCATE awa.queue_meta");
    // Selenium Manager must not look for (or download) a driver: the service names the binary.
    // One service per browser: quit() stops the service it ran on.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options(profile.resolve("p" + System.nanoTime())));
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  static ChromeOptions options(Path userDataDir) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + userDataDir);
    return o;
  }

  @Test
  void overviewShowsJobsInThreeStates() {
    seedThreeStates();
    open("/");
    WebElement mail = browser.findElement(By.cssSelector("#queues tr[data-queue='mail']"));
    assertThat(mail.getText()).contains("mail");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              String rows = browser.findElement(By.id("queues")).getText();
              assertThat(rows).contains("billing").contains("mail").contains("reports");
            });
    assertThat(browser.findElements(By.cssSelector("#queues a.state-completed"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#queues a.state-failed"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#queues a.state-scheduled"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#throughput rect.bar-completed"))).isNotEmpty();
    // truncateJobs() also empties awa.runtime_instances; the runtime re-registers on its next beat.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.id("instances")).getText())
                    .contains(runtime.instanceId()));
    screenshot("overview");

    browser.findElement(By.linkText("Maintenance")).click();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.id("leader")).getText())
                  .isEqualTo(maintenance.instanceId());
              assertThat(browser.findElement(By.id("branches")).getText())
                  .contains("promote_scheduled");
              assertThat(browser.findElements(By.id("health-banner"))).isEmpty();
            });
    screenshot("maintenance");
  }

  @Test
  void filterToFailedOpenTheJobSeeItsErrorRetryAndSeeItComplete() {
    seedThreeStates();
    open("/jobs");
    new Select(browser.findElement(By.name("state"))).selectByValue("failed");
    browser.findElement(By.id("apply-filters")).click();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> browser.getCurrentUrl().contains("state=failed"));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<WebElement> rows =
                  browser.findElements(By.cssSelector("#jobs tbody tr[data-id]"));
              assertThat(rows).hasSize(3);
              assertThat(rows)
                  .allSatisfy(r -> assertThat(r.getAttribute("data-state")).isEqualTo("failed"));
            });
    screenshot("jobs-failed");

    click(By.cssSelector("#jobs tbody tr[data-id] td.num a"));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> browser.getCurrentUrl().matches(".*/jobs/\\d+$"));
    WebElement errors = browser.findElement(By.id("errors"));
    // The <script> in the message is shown as text, not run.
    assertThat(errors.getText())
        .contains("payment provider said no: <script>alert('card')</script>");
    assertThat(browser.findElements(By.cssSelector("#errors script"))).isEmpty();
    screenshot("job-detail");

    click(By.cssSelector("#job-actions button.retry"));
    // Live refresh picks up the worker's completion without a reload.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.cssSelector("h1 .badge")).getText())
                    .isEqualTo("completed"));
    screenshot("job-retried");
  }

  @Test
  void pausingAQueueStopsWorkersClaimingFromIt() {
    JobRow before = client.enqueue(NewJob.builder("send_email").queue("mail").build());
    await().atMost(WAIT).ignoreExceptions().until(() -> state(before.id()).equals("completed"));
    open("/");
    click(By.cssSelector("#queues tr[data-queue='mail'] button.pause-queue"));
    browser.switchTo().alert().accept();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElement(By.cssSelector("#queues tr[data-queue='mail'] .paused-flag"))
                    .getText()
                    .equals("paused"));

    JobRow held = client.enqueue(NewJob.builder("send_email").queue("mail").build());
    JobRow other =
        client.enqueue(NewJob.builder("charge_card").queue("billing").maxAttempts(1).build());
    // The runtime keeps claiming from billing; mail's job stays available meanwhile.
    await().atMost(WAIT).ignoreExceptions().until(() -> state(other.id()).equals("failed"));
    assertThat(state(held.id())).isEqualTo("available");
    screenshot("queue-paused");

    browser
        .findElement(By.cssSelector("#queues tr[data-queue='mail'] button.resume-queue"))
        .click();
    await().atMost(WAIT).ignoreExceptions().until(() -> state(held.id()).equals("completed"));
  }

  @Test
  void retryAllFailedNamesTheCountBeforeActing() {
    seedThreeStates();
    open("/jobs?queue=billing&state=failed");
    click(By.id("retry-all-failed"));
    await().atMost(WAIT).ignoreExceptions().until(() -> browser.switchTo().alert() != null);
    assertThat(browser.switchTo().alert().getText())
        .isEqualTo("Retry 3 failed job(s) in queue billing?");
    browser.switchTo().alert().accept();
    // Retried, the card charges succeed on their second attempt.
    await()
        .atMost(WAIT)
        .until(() -> db.countJobs("failed") == 0 && db.countJobs("completed") == 15);
  }

  @Test
  void bulkSelectRetriesTheSelectedJobsOnly() {
    seedThreeStates();
    open("/jobs?state=failed");
    assertThat(browser.findElements(By.cssSelector("#jobs input.select"))).hasSize(3);
    // Once one box is ticked live refresh holds still; the first click may race a refresh.
    click(By.cssSelector("#jobs tbody tr:nth-child(1) input.select"));
    browser.findElement(By.cssSelector("#jobs tbody tr:nth-child(2) input.select")).click();
    assertThat(browser.findElement(By.cssSelector(".selected-count")).getText())
        .isEqualTo("2 selected");
    click(By.cssSelector("#bulk button.bulk"));
    assertThat(browser.switchTo().alert().getText()).isEqualTo("Retry selected: 2 job(s)?");
    browser.switchTo().alert().accept();
    await()
        .atMost(WAIT)
        .until(() -> db.countJobs("completed") == 14 && db.countJobs("failed") == 1);
  }

  @Test
  void liveRefreshPausesWhileTheTabIsHidden() {
    open("/");
    By main = By.id("main");
    // The first poll stamps data-refreshed-at.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(main).getAttribute("data-refreshed-at") != null);
    browser.executeScript(
        "Object.defineProperty(document, 'visibilityState',"
            + " {configurable: true, get: function () { return 'hidden'; }});");
    // Hidden: the stamp stays put for 3 poll intervals (a poll in flight may land first).
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>("");
    await()
        .atMost(Duration.ofSeconds(20))
        .during(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String now = browser.findElement(main).getAttribute("data-refreshed-at");
              return now.equals(last.getAndSet(now));
            });
    String hiddenStamp = last.get();
    browser.executeScript(
        "Object.defineProperty(document, 'visibilityState',"
            + " {configurable: true, get: function () { return 'visible'; }});"
            + " document.dispatchEvent(new Event('visibilitychange'));");
    await()
        .atMost(WAIT)
        .until(
            () -> !hiddenStamp.equals(browser.findElement(main).getAttribute("data-refreshed-at")));
  }

  @Test
  void readOnlyModeShowsNoButtons(TestDatabase db) {
    seedThreeStates();
    long failed = db.queryLong("SELECT min(id) FROM awa.jobs WHERE state = 'failed'");
    try (AwaDashboard ro = AwaDashboard.builder(db.dataSource()).port(0).readOnly(true).start()) {
      for (String page : List.of("/", "/jobs", "/jobs/" + failed, "/cron")) {
        browser.get(ro.url().resolve(page).toString());
        assertThat(browser.findElements(By.cssSelector("button.action, button.failed-action")))
            .as(page)
            .isEmpty();
        assertThat(browser.findElements(By.cssSelector("input.select"))).as(page).isEmpty();
        assertThat(browser.findElement(By.cssSelector(".badge.ro")).getText())
            .isEqualTo("read-only");
        if (page.equals("/jobs/" + failed)) {
          screenshot("read-only");
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Completed and failed jobs in mail and billing, scheduled ones in reports. */
  private void seedThreeStates() {
    for (int i = 0; i < 12; i++) {
      client.enqueue(
          NewJob.builder("send_email")
              .queue("mail")
              .args(Map.of("to", "user" + i + "@example.com"))
              .build());
    }
    for (int i = 0; i < 3; i++) {
      client.enqueue(
          NewJob.builder("charge_card")
              .queue("billing")
              .maxAttempts(1)
              .args(Map.of("order", 1000 + i, "amount_cents", 4999))
              .tags("checkout")
              .build());
    }
    for (int i = 0; i < 4; i++) {
      client.enqueue(
          NewJob.builder("build_report").queue("reports").runIn(Duration.ofHours(1)).build());
    }
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> db.countJobs("completed") == 12 && db.countJobs("failed") == 3);
  }

  /** Clicks {@code by}, finding it again if live refresh replaced it in between. */
  private void click(By by) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              browser.findElement(by).click();
              return true;
            });
  }

  private void open(String path) {
    browser.get(dashboard.url().resolve(path).toString());
  }

  private String state(long id) {
    return client.operator().getJob(id).orElseThrow().state().dbName();
  }

  private void screenshot(String name) {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
