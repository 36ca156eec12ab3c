package dev.awa.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JobColumns} reads rows by column name, whatever the order of the select list. */
@AwaTest
class JobColumnsTest {
  @Test
  void mapsRowsByNameInAnyColumnOrder(TestDatabase db) throws Exception {
    AwaClient client = AwaClient.create(db.dataSource());
    JobRow enqueued =
        client.enqueue(
            NewJob.builder("cols").queue("cols").argsJson("{\"a\":1}").tags(List.of("x")).build());
    List<String> columns = new ArrayList<>(Arrays.asList(JobColumns.ROW.split(",\\s*")));
    Collections.reverse(columns);
    String reversed = "SELECT 42 AS extra, " + String.join(", ", columns) + " FROM awa.jobs";
    try (Connection c = db.openConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(reversed + " WHERE id = " + enqueued.id())) {
      assertThat(rs.next()).isTrue();
      JobRow byName = JobColumns.reader(rs).read(rs);
      assertThat(byName).isEqualTo(client.operator().getJob(enqueued.id()).orElseThrow());
      assertThat(JobColumns.map(rs)).isEqualTo(byName);
      assertThat(byName.tags()).containsExactly("x");
    }
  }
}
