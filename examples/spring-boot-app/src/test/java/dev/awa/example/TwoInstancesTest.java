package dev.awa.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Two instances of the service on one database: exactly one leads, every job runs once. */
@AwaTest
class TwoInstancesTest {
  @Test
  void exactlyOneLeadsAndEveryJobRunsOnce(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext a = TestApps.start(db, List.of());
        ConfigurableApplicationContext b = TestApps.start(db, List.of())) {
      MaintenanceService ma = a.getBean(MaintenanceService.class);
      MaintenanceService mb = b.getBean(MaintenanceService.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> ma.isLeader() || mb.isLeader());

      Http ha = new Http(a);
      Http hb = new Http(b);
      int orders = 300;
      AtomicInteger bothLed = new AtomicInteger();
      for (int i = 0; i < orders; i++) {
        Http http = i % 2 == 0 ? ha : hb;
        assertThat(http.postOrder("item-" + i, 1).statusCode()).isEqualTo(201);
        if (ma.isLeader() && mb.isLeader()) {
          bothLed.incrementAndGet();
        }
      }
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                if (ma.isLeader() && mb.isLeader()) {
                  bothLed.incrementAndGet();
                }
                return db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE state <> 'completed'"
                            + " AND kind IN ('send_receipt', 'reserve_stock')")
                    == 0L;
              });
      assertThat(bothLed).hasValue(0);
      assertThat(ma.isLeader() ^ mb.isLeader()).isTrue();
      assertThat(db.queryLong("SELECT count(*) FROM receipts")).isEqualTo(orders);
      assertThat(db.queryLong("SELECT count(DISTINCT order_id) FROM receipts")).isEqualTo(orders);
      assertThat(db.queryLong("SELECT max(attempt) FROM awa.jobs WHERE kind = 'send_receipt'"))
          .isEqualTo(1);
    }
  }
}
