package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.CallbackSql;
import dev.awa.core.internal.store.EnqueueSql;
import dev.awa.core.internal.store.OperatorSql;
import dev.awa.core.internal.store.StatusSql;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store of the producer, operator, callback and status roles: every statement is valid against
 * the migrated schema, due versus scheduled follows the database clock on every path, and only the
 * unique-claim trigger's refusal becomes a {@link DuplicateJobException}.
 */
@AwaTest
class StoreTest {
  private final TestDatabase db;
  private final AwaClient awa;

  StoreTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private static List<String> statements(Class<?> store) throws IllegalAccessException {
    List<String> out = new ArrayList<>();
    for (Field f : store.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        out.add((String) f.get(null));
      }
    }
    return out;
  }

  @Test
  void everyStatementIsParsedByThePostgresServerAgainstTheSchema() throws Exception {
    List<String> all = new ArrayList<>();
    for (Class<?> store :
        List.of(EnqueueSql.class, OperatorSql.class, CallbackSql.class, StatusSql.class)) {
      List<String> sql = statements(store);
      assertThat(sql).as(store.getSimpleName()).isNotEmpty();
      all.addAll(sql);
    }
    int parsed = 0;
    try (Connection c = db.openConnection()) {
      for (String sql : all) {
        if (sql.startsWith("COPY")) {
          continue; // COPY cannot be prepared; EnqueueTest and the clock test below run all three.
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          // pgjdbc sends Parse/Describe for this: the server checks every name and type.
          assertThat(ps.getParameterMetaData().getParameterCount())
              .as(sql)
              .isGreaterThanOrEqualTo(0);
          parsed++;
        }
      }
    }
    assertThat(parsed).isGreaterThanOrEqualTo(all.size() - 3);
  }

  @Test
  void batchAndSingleEnqueueSplitDueFromScheduledByTheDatabaseClock() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      // now() is the transaction's start: the database clock stays at dbNow for this transaction
      // while the JVM's clock moves on.
      Instant dbNow = dbNow(c);
      Instant runAt = dbNow.plusMillis(50);
      while (!Instant.now().isAfter(runAt.plusMillis(10))) {
        Thread.sleep(5); // until the JVM's clock calls runAt past; the database's does not
      }
      Instant past = dbNow.minusMillis(50);
      long[] batch =
          awa.enqueueMany(
              c,
              List.of(
                  NewJob.builder("clock").runAt(runAt).build(),
                  NewJob.builder("clock").runAt(past).build(),
                  NewJob.builder("clock").build()));
      JobRow single = awa.enqueue(c, NewJob.builder("clock").runAt(runAt).build());
      c.commit();
      c.setAutoCommit(true);

      assertThat(single.state()).isEqualTo(JobState.SCHEDULED);
      assertThat(awa.operator().getJob(batch[0]).orElseThrow().state())
          .as("run-at after the database's now, before the JVM's")
          .isEqualTo(JobState.SCHEDULED);
      assertThat(awa.operator().getJob(batch[1]).orElseThrow().state())
          .isEqualTo(JobState.AVAILABLE);
      JobRow stamped = awa.operator().getJob(batch[2]).orElseThrow();
      assertThat(stamped.state()).isEqualTo(JobState.AVAILABLE);
      assertThat(stamped.runAt()).as("no run-at: stamped with the database's now").isEqualTo(dbNow);
    }
    assertThat(db.countJobs("scheduled")).isEqualTo(2L);
  }

  @Test
  void operatorRetryMakesTheJobDueAtTheDatabasesNow() throws Exception {
    JobRow job = awa.enqueue(NewJob.builder("retry-clock").build());
    db.update("UPDATE awa.jobs SET state = 'failed', finalized_at = now() WHERE id = ?", job.id());
    Instant before;
    try (Connection c = db.openConnection()) {
      before = dbNow(c);
      assertThat(awa.operator().retryJob(job.id())).isTrue();
      Instant after = dbNow(c);
      JobRow retried = awa.operator().getJob(job.id()).orElseThrow();
      assertThat(retried.state()).isEqualTo(JobState.AVAILABLE);
      assertThat(retried.runAt()).isBetween(before, after);
      assertThat(retried.finalizedAt()).isNull();
    }
  }

  @Test
  void onlyTheUniqueClaimTriggersRefusalIsADuplicateJob() throws Exception {
    JobRow job = awa.enqueue(NewJob.builder("dup").build());
    SQLException otherUniqueViolation;
    try (Connection c = db.openConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO awa.jobs (id, kind, queue, args, state) VALUES (?, 'x', 'q', '{}',"
                    + " 'available')")) {
      ps.setLong(1, job.id());
      otherUniqueViolation = catchSql(ps);
    }
    assertThat(otherUniqueViolation.getSQLState()).isEqualTo("23505");
    assertThat(Jdbc.failure("insert", otherUniqueViolation))
        .isInstanceOf(AwaSqlException.class)
        .isNotInstanceOf(DuplicateJobException.class);

    awa.enqueue(NewJob.builder("dup").uniqueKey("k").build());
    assertThatThrownBy(() -> awa.enqueue(NewJob.builder("dup").uniqueKey("k").build()))
        .isInstanceOf(DuplicateJobException.class);
  }

  private static SQLException catchSql(PreparedStatement ps) {
    try {
      ps.executeUpdate();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("the insert was expected to fail");
  }

  private static Instant dbNow(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT now()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }
}
