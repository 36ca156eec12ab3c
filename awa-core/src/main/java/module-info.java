/**
 * Awa core: the client (enqueue, operator actions, callbacks, lease protocol), the worker runtime
 * and the schema migrations.
 *
 * <p>Only {@code dev.awa.core} is API. {@code dev.awa.core.internal} (shared helpers) and {@code
 * dev.awa.core.internal.store} (the SQL of every statement on the awa tables, adr/0006) are
 * exported to the awa modules that need them and to no one else; a new awa module that needs one
 * adds its name here. A new package in awa-core is not API until it is listed below.
 */
module dev.awa.core {
  requires transitive java.sql;
  // ObjectMapper is part of the API (AwaClient.objectMapper(), JobRow.args(mapper, type)).
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.awa.core;
  exports dev.awa.core.internal to
      dev.awa.maintenance,
      dev.awa.web,
      dev.awa.cli,
      dev.awa.spring;
  exports dev.awa.core.internal.store to
      dev.awa.maintenance,
      dev.awa.web,
      dev.awa.cli,
      dev.awa.bench;

  // Jackson reads and writes the value types (JobError, JobResult's payloads) by reflection.
  opens dev.awa.core to
      com.fasterxml.jackson.databind;
  // The dashboard's JSON API and `awa status --json` write the store's row records
  // (StatusSql.RuntimeInstanceRow, MaintenanceBranchRow) as they are.
  opens dev.awa.core.internal.store to
      com.fasterxml.jackson.databind;
}
