package dev.awa.core.internal.store;

import dev.awa.core.JobRow;
import dev.awa.core.internal.JobColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Not API. Reads a {@link JobRow} by column name, so a statement may select its columns in any
 * order (and more columns than these). A statement returning jobs selects, from {@code awa.jobs} or
 * {@code awa.scheduled_jobs} (same columns): {@code id, kind, queue, args::text, state, priority,
 * attempt, max_attempts, run_at, created_at, attempted_at, heartbeat_at, deadline_at, finalized_at,
 * errors::text, metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,
 * attempted_by} (a cast keeps the column's name as its label).
 */
public final class JobRows {
  private JobRows() {}

  /** The job of the current row of {@code rs} (the one by-name mapper: {@link JobColumns}). */
  public static JobRow map(ResultSet rs) throws SQLException {
    return JobColumns.map(rs);
  }

  /** Every job {@code rs} returns, in its order; column names are resolved once. */
  public static List<JobRow> all(ResultSet rs) throws SQLException {
    List<JobRow> out = new java.util.ArrayList<>();
    JobColumns.Reader reader = null;
    while (rs.next()) {
      if (reader == null) {
        reader = JobColumns.reader(rs);
      }
      out.add(reader.read(rs));
    }
    return out;
  }

  /** A timestamptz column as an instant, or null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
