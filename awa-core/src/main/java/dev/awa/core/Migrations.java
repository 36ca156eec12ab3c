package dev.awa.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Awa's schema. Migrations are versioned SQL resources, applied in one transaction under
 * their own transaction-scoped advisory lock, so several processes starting at once migrate once.
 * They are additive; a database migrated by a newer Awa is refused.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** Advisory lock key held while migrating ("awa_migr" as ASCII). */
  static final long LOCK_KEY = 0x6177615f6d696772L;

  private record Migration(int version, String description, String resource) {}

  private static final List<Migration> ALL =
      List.of(
          new Migration(1, "initial schema", "V1__initial.sql"),
          new Migration(2, "unique scopes", "V2__unique_scopes.sql"),
          new Migration(
              3, "maintenance percentiles and leader history", "V3__maintenance_history.sql"),
          new Migration(4, "one index over running rows", "V4__running_index.sql"));

  /** The schema version this code writes and expects. */
  public static final int LATEST_VERSION = ALL.get(ALL.size() - 1).version();

  private Migrations() {}

  /**
   * Brings the schema up to {@link #LATEST_VERSION}; a no-op when it is already there.
   *
   * @return how many migrations were applied
   * @throws SchemaVersionException if the database is newer than this code
   */
  public static int migrate(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return migrate(c);
    } catch (SQLException e) {
      throw new AwaSqlException("migration", e);
    }
  }

  /** As {@link #migrate(DataSource)}, on a caller's connection (committed here). */
  public static int migrate(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      }
      int current = currentVersion(c);
      if (current > LATEST_VERSION) {
        throw tooNew(current);
      }
      int applied = 0;
      for (Migration m : ALL) {
        if (m.version() <= current) {
          continue;
        }
        try (Statement st = c.createStatement()) {
          st.execute(resource(m.resource()));
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO awa.schema_version (version, description) VALUES (?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.executeUpdate();
        }
        applied++;
        log.info("applied Awa migration {} ({})", m.version(), m.description());
      }
      c.commit();
      return applied;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The schema version in the database, 0 when Awa's schema is absent. */
  public static int currentVersion(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return currentVersion(c);
    } catch (SQLException e) {
      throw new AwaSqlException("reading the schema version", e);
    }
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('awa.schema_version') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return 0;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT coalesce(max(version), 0) FROM awa.schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Checks that the schema is exactly the version this code expects.
   *
   * @throws SchemaVersionException naming both versions and what to do
   */
  public static void verify(DataSource dataSource) {
    int current = currentVersion(dataSource);
    if (current == 0) {
      throw new SchemaVersionException(
          "the Awa schema is not installed in this database; run Migrations.migrate(dataSource)"
              + " or `awa migrate`",
          0,
          LATEST_VERSION);
    }
    if (current > LATEST_VERSION) {
      throw tooNew(current);
    }
    if (current < LATEST_VERSION) {
      throw new SchemaVersionException(
          "the Awa schema is at version "
              + current
              + " but this code needs "
              + LATEST_VERSION
              + "; run Migrations.migrate(dataSource) or `awa migrate`",
          current,
          LATEST_VERSION);
    }
  }

  /**
   * The SQL of every migration after {@code fromVersion}, each followed by its schema_version
   * insert, for teams that apply schema changes with Flyway, Liquibase or by hand.
   */
  public static String sql(int fromVersion) {
    StringBuilder out = new StringBuilder();
    for (Migration m : ALL) {
      if (m.version() <= fromVersion) {
        continue;
      }
      out.append("-- Awa migration ").append(m.version()).append(": ").append(m.description());
      out.append("\n").append(resource(m.resource())).append("\n");
      out.append("INSERT INTO awa.schema_version (version, description) VALUES (")
          .append(m.version())
          .append(", '")
          .append(m.description().replace("'", "''"))
          .append("');\n\n");
    }
    return out.toString();
  }

  private static SchemaVersionException tooNew(int current) {
    return new SchemaVersionException(
        "the Awa schema in this database is at version "
            + current
            + ", newer than this code supports ("
            + LATEST_VERSION
            + "); upgrade Awa before using this database",
        current,
        LATEST_VERSION);
  }

  private static String resource(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
