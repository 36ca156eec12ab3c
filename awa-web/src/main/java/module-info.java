/** Awa web: the embedded dashboard (JDK HTTP server, JSON API and static assets). */
module dev.awa.web {
  requires transitive dev.awa.core;
  requires transitive dev.awa.maintenance;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires jdk.httpserver;
  requires org.slf4j;

  exports dev.awa.web;

  // Jackson writes the dashboard's JSON views (records in this package) by reflection.
  opens dev.awa.web to
      com.fasterxml.jackson.databind;
}
