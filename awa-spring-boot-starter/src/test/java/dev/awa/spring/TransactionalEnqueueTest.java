package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * AwaEnqueuer joins Spring's transaction on the same DataSource: the job commits and rolls back
 * with the application's own writes; without a transaction it commits on its own.
 */
@AwaTest
class TransactionalEnqueueTest {
  private final TestDatabase db;

  TransactionalEnqueueTest(TestDatabase db) {
    this.db = db;
  }

  /** An application service: one order row and its jobs in one Spring transaction. */
  static final class Orders {
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final AwaEnqueuer awa;

    Orders(TransactionTemplate tx, JdbcTemplate jdbc, AwaEnqueuer awa) {
      this.tx = tx;
      this.jdbc = jdbc;
      this.awa = awa;
    }

    void place(String item, Runnable beforeCommit) {
      tx.executeWithoutResult(
          status -> {
            jdbc.update("INSERT INTO orders (item) VALUES (?)", item);
            awa.enqueue(NewJob.builder("send_receipt").args(List.of(item)).build());
            awa.enqueueMany(List.of(NewJob.builder("a").build(), NewJob.builder("b").build()));
            beforeCommit.run();
          });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class App {
    @Bean
    DataSourceTransactionManager transactionManager(DataSource dataSource) {
      return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    Orders orders(DataSourceTransactionManager tm, DataSource ds, AwaEnqueuer awa) {
      return new Orders(new TransactionTemplate(tm), new JdbcTemplate(ds), awa);
    }
  }

  @BeforeEach
  void clean() {
    db.update("CREATE TABLE IF NOT EXISTS orders (id bigserial PRIMARY KEY, item text NOT NULL)");
    db.update("TRUNCATE orders");
    db.truncateJobs();
  }

  private ApplicationContextRunner runner() {
    return Contexts.runner(db)
        // Producer-only: nothing works the jobs, so their rows stay visible to the assertions.
        .withPropertyValues("awa.runtime.enabled=false", "awa.maintenance.enabled=false")
        .withUserConfiguration(App.class);
  }

  @Test
  void aCommittedTransactionHasTheJobsAndTheRowTogether() {
    runner()
        .run(
            ctx ->
                ctx.getBean(Orders.class)
                    .place(
                        "book",
                        () -> {
                          assertThat(ctx.getBean(AwaEnqueuer.class).joinsTransaction()).isTrue();
                          // Not committed yet: another connection sees neither row nor jobs.
                          assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
                          assertThat(db.queryLong("SELECT count(*) FROM orders")).isZero();
                        }));
    assertThat(db.countJobs("available")).isEqualTo(3);
    assertThat(db.queryLong("SELECT count(*) FROM orders")).isEqualTo(1);
  }

  @Test
  void anExceptionRollsBackTheJobsWithTheRow() {
    runner()
        .run(
            ctx ->
                assertThatThrownBy(
                        () ->
                            ctx.getBean(Orders.class)
                                .place(
                                    "pen",
                                    () -> {
                                      throw new IllegalStateException("payment declined");
                                    }))
                    .hasMessage("payment declined"));
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM orders")).isZero();
  }

  @Test
  void withoutATransactionEachEnqueueCommitsOnItsOwn() {
    runner()
        .run(
            ctx -> {
              AwaEnqueuer awa = ctx.getBean(AwaEnqueuer.class);
              assertThat(awa.joinsTransaction()).isFalse();
              awa.enqueue(NewJob.builder("alone").build());
              awa.enqueueMany(List.of(NewJob.builder("a").build(), NewJob.builder("b").build()));
              assertThat(db.countJobs("available")).isEqualTo(3);
            });
  }
}
