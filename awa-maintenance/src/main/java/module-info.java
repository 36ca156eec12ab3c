/**
 * Awa maintenance: leader election and the maintenance branches (promote, rescue, cleanup, aging,
 * queue stats, cron).
 *
 * <p>Only {@code dev.awa.maintenance} is API.
 */
module dev.awa.maintenance {
  requires transitive dev.awa.core;
  requires com.cronutils;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.awa.maintenance;
}
