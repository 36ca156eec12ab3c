package dev.awa.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.core.internal.store.DashboardSql.FailedJobFilter;
import dev.awa.core.internal.store.StatusSql.JobListQuery;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store of the dashboard's and the CLI's statements ({@link DashboardSql}, {@link DemoSql} and
 * the job list of {@link StatusSql}; StoreTest parses the constants of StatusSql and OperatorSql):
 * every statement, and every shape the composed job list takes, is valid against the migrated
 * schema, and the optional filters select what they say.
 */
@AwaTest
class ReadSqlTest {
  @Test
  void everyStatementAndEveryJobListShapeIsParsedByTheServer(TestDatabase db) throws Exception {
    List<String> all = new ArrayList<>();
    for (Class<?> store : List.of(DashboardSql.class, DemoSql.class)) {
      int before = all.size();
      for (Field f : store.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          all.add((String) f.get(null));
        }
      }
      assertThat(all.size()).as(store.getSimpleName()).isGreaterThan(before);
    }
    for (JobState state : new JobState[] {null, JobState.AVAILABLE, JobState.SCHEDULED}) {
      for (boolean newestFirst : new boolean[] {true, false}) {
        all.add(
            StatusSql.listJobsSql(
                new JobListQuery(null, null, state, null, null, newestFirst, null, 10)));
        all.add(
            StatusSql.listJobsSql(new JobListQuery("q", "k", state, "t", 1L, newestFirst, 5L, 10)));
      }
    }
    try (Connection c = db.openConnection()) {
      for (String sql : all) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          // pgjdbc sends Parse/Describe for this: the server checks every name and type.
          assertThat(ps.getParameterMetaData().getParameterCount()).as(sql).isNotNegative();
        }
      }
    }
  }

  @Test
  void theJobListCoversBothTablesWithItsFiltersOrderAndCursor(TestDatabase db) throws Exception {
    db.truncateJobs();
    AwaClient awa = AwaClient.create(db.dataSource());
    JobRow a = awa.enqueue(NewJob.builder("send").queue("mail").tags(List.of("vip")).build());
    JobRow b =
        awa.enqueue(
            NewJob.builder("send").queue("mail").runAt(Instant.now().plusSeconds(3600)).build());
    JobRow c = awa.enqueue(NewJob.builder("bill").queue("billing").build());
    try (Connection conn = db.openConnection()) {
      assertThat(ids(conn, new JobListQuery(null, null, null, null, null, true, null, 10)))
          .containsExactly(c.id(), b.id(), a.id());
      assertThat(ids(conn, new JobListQuery(null, null, null, null, null, false, a.id(), 10)))
          .containsExactly(b.id(), c.id());
      assertThat(ids(conn, new JobListQuery("mail", "send", null, null, null, true, null, 10)))
          .containsExactly(b.id(), a.id());
      assertThat(
              ids(
                  conn,
                  new JobListQuery(null, null, JobState.SCHEDULED, null, null, true, null, 10)))
          .containsExactly(b.id());
      assertThat(ids(conn, new JobListQuery(null, null, null, "vip", null, true, null, 10)))
          .containsExactly(a.id());
      assertThat(ids(conn, new JobListQuery(null, null, null, null, c.id(), true, null, 10)))
          .containsExactly(c.id());
      assertThat(ids(conn, new JobListQuery(null, null, null, null, null, true, null, 2)))
          .containsExactly(c.id(), b.id());
    }
  }

  @Test
  void theFailedJobFilterMatchesAnyQueueOrKindWhenNull(TestDatabase db) throws Exception {
    db.truncateJobs();
    AwaClient awa = AwaClient.create(db.dataSource());
    JobRow mail = awa.enqueue(NewJob.builder("send").queue("mail").build());
    JobRow digest = awa.enqueue(NewJob.builder("digest").queue("mail").build());
    JobRow billing = awa.enqueue(NewJob.builder("send").queue("billing").build());
    db.update("UPDATE awa.jobs SET state = 'failed', finalized_at = now()");
    try (Connection c = db.openConnection()) {
      assertThat(DashboardSql.countFailedJobs(c, new FailedJobFilter(null, null), 100))
          .isEqualTo(3);
      assertThat(DashboardSql.countFailedJobs(c, new FailedJobFilter(null, null), 2)).isEqualTo(2);
      assertThat(DashboardSql.failedJobIdsAfter(c, new FailedJobFilter("mail", null), 0, 10))
          .containsExactly(mail.id(), digest.id());
      assertThat(DashboardSql.failedJobIdsAfter(c, new FailedJobFilter(null, "send"), 0, 10))
          .containsExactly(mail.id(), billing.id());
      assertThat(DashboardSql.deleteFailedJobs(c, new FailedJobFilter("mail", "send"), 10))
          .isEqualTo(1);
      assertThat(OperatorSql.deleteFinishedJob(c, digest.id())).isTrue();
      assertThat(DashboardSql.countFailedJobs(c, new FailedJobFilter(null, null), 100))
          .isEqualTo(1);
    }
  }

  private static List<Long> ids(Connection c, JobListQuery q) throws Exception {
    return StatusSql.listJobs(c, q).stream().map(JobRow::id).toList();
  }
}
