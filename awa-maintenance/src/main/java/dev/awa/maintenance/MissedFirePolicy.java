package dev.awa.maintenance;

/** What a periodic job does about fires that passed while no leader evaluated it. */
public enum MissedFirePolicy {
  /** Enqueue only the latest missed fire (the default: a report run once is enough). */
  COALESCE,
  /** Enqueue every missed fire, oldest first, at most the catch-up limit per evaluation pass. */
  CATCH_UP;

  String dbName() {
    return this == COALESCE ? "coalesce" : "catch_up";
  }

  static MissedFirePolicy fromDb(String value) {
    return "catch_up".equals(value) ? CATCH_UP : COALESCE;
  }
}
