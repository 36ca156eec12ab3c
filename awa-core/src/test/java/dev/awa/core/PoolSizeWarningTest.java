package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The start-up check of the pool size against the connections the runtime uses. */
@AwaTest
class PoolSizeWarningTest {
  private final TestDatabase db;

  PoolSizeWarningTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void readsHikariMaximumPoolSizeReflectively() {
    DataSource ds = db.newDataSource(2, "pool-size-test");
    assertThat(AwaRuntime.maxPoolSize(ds)).isEqualTo(2);
  }

  @Test
  void unknownPoolTypesGiveNoFigure() {
    // A DataSource without a size accessor (the driver's own) yields null, not an error.
    assertThat(AwaRuntime.maxPoolSize(new org.postgresql.ds.PGSimpleDataSource())).isNull();
  }

  @Test
  void countsListenerProducersCompleterAndHeartbeat() {
    AwaRuntime twoQueues =
        AwaRuntime.builder(db.dataSource())
            .queue("a", 4)
            .queue("b", 4)
            .register("k", ctx -> JobResult.completed())
            .build();
    assertThat(twoQueues.pooledConnectionsNeeded()).isEqualTo(1 + 2 + 2);
    AwaRuntime directListener =
        AwaRuntime.builder(db.dataSource())
            .queue("a", 4)
            .listenerJdbcUrl(db.jdbcUrl(), null)
            .register("k", ctx -> JobResult.completed())
            .build();
    assertThat(directListener.pooledConnectionsNeeded()).isEqualTo(1 + 2);
  }

  @Test
  void warnsBelowTheNeedAndMoreStronglyWhenTheListenerWouldTakeEverything() {
    assertThat(AwaRuntime.poolSizeWarning(null, 4, true)).isNull();
    assertThat(AwaRuntime.poolSizeWarning(4, 4, true)).isNull();
    assertThat(AwaRuntime.poolSizeWarning(2, 4, true))
        .contains("allows only 2 connections")
        .contains("at least 4");
    assertThat(AwaRuntime.poolSizeWarning(1, 4, true)).contains("LISTEN session holds one");
    assertThat(AwaRuntime.poolSizeWarning(1, 3, false)).contains("allows only 1 connections");
  }
}
