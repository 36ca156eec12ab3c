package dev.awa.bench.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema variants of awa.jobs that {@code scale --schema} compares in one run (adr/0012): each is
 * DDL applied to a freshly migrated database before the jobs are loaded, so storage parameters such
 * as fillfactor apply to the loaded rows. {@code current} is the schema as migrated.
 */
final class ScaleSchemas {
  private ScaleSchemas() {}

  /** One variant: its DDL and what it changes. */
  record Variant(String name, String description, List<String> ddl) {}

  private static final Map<String, Variant> ALL = new LinkedHashMap<>();

  private static void add(String name, String description, String... ddl) {
    ALL.put(name, new Variant(name, description, List.of(ddl)));
  }

  static {
    add("current", "the schema as migrated");
    add(
        "v3",
        "schema version 3's running-row indexes: heartbeat_at and deadline_at indexed separately",
        "DROP INDEX awa.jobs_running_idx",
        "CREATE INDEX jobs_heartbeat_idx ON awa.jobs (heartbeat_at) WHERE state = 'running'",
        "CREATE INDEX jobs_deadline_idx ON awa.jobs (deadline_at) WHERE state = 'running'");
    add("ff90", "awa.jobs fillfactor 90", "ALTER TABLE awa.jobs SET (fillfactor = 90)");
    add("ff70", "awa.jobs fillfactor 70", "ALTER TABLE awa.jobs SET (fillfactor = 70)");
  }

  /** The variant called {@code name}. */
  static Variant named(String name) {
    Variant v = ALL.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "--schema: unknown variant '" + name + "'; known: " + String.join(", ", ALL.keySet()));
    }
    return v;
  }

  /** Every variant's name. */
  static List<String> names() {
    return List.copyOf(ALL.keySet());
  }
}
