package dev.awa.spring;

import dev.awa.core.Migrations;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the Awa schema up to date when the context starts ({@code awa.migrate-on-start=true}, the
 * default). Migrations are idempotent and serialised by PostgreSQL, so several instances starting
 * at once are safe. The client bean depends on it, so nothing enqueues before the schema exists.
 */
public final class AwaSchemaInitializer implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(AwaSchemaInitializer.class);
  private final DataSource dataSource;

  /** An initializer migrating {@code dataSource}. */
  public AwaSchemaInitializer(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void afterPropertiesSet() {
    int applied = Migrations.migrate(dataSource);
    log.info(
        "Awa schema at version {} ({} migrations applied)", Migrations.LATEST_VERSION, applied);
  }
}
