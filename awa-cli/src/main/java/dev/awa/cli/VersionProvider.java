package dev.awa.cli;

import dev.awa.core.Migrations;
import picocli.CommandLine.IVersionProvider;

/** {@code awa --version}: the build version and the schema version this tool expects. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = AwaCli.class.getPackage().getImplementationVersion();
    return new String[] {
      "awa " + (version == null ? "(development build)" : version),
      "schema version " + Migrations.LATEST_VERSION
    };
  }
}
