package dev.awa.core;

/**
 * The database schema does not match this version of Awa: not migrated yet, or migrated by a newer
 * Awa. Nothing is changed when this is thrown.
 */
public final class SchemaVersionException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final int databaseVersion;
  private final int supportedVersion;

  /** Creates the exception with both versions (database version 0 means not migrated). */
  public SchemaVersionException(String message, int databaseVersion, int supportedVersion) {
    super(message);
    this.databaseVersion = databaseVersion;
    this.supportedVersion = supportedVersion;
  }

  /** The version found in the database; 0 when the schema is absent. */
  public int databaseVersion() {
    return databaseVersion;
  }

  /** The newest version this code knows. */
  public int supportedVersion() {
    return supportedVersion;
  }
}
