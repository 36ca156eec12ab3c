package dev.awa.cli;

/**
 * The exit codes of the {@code awa} command, documented in docs/cli.md. Scripts branch on them, so
 * they never change meaning.
 */
final class ExitCodes {
  /** The command did what was asked. */
  static final int OK = 0;

  /** Anything else went wrong (a database error during the command, a bug). */
  static final int FAILURE = 1;

  /** Bad command line: unknown option, bad filter value, missing database URL. */
  static final int USAGE = 2;

  /** The database could not be reached or refused the login. */
  static final int DATABASE_UNAVAILABLE = 3;

  /** The Awa schema is missing, older or newer than this tool. */
  static final int SCHEMA = 4;

  /** The job named on the command line does not exist. */
  static final int NOT_FOUND = 5;

  /** The job exists but its state does not allow the action (e.g. retrying a running job). */
  static final int CONFLICT = 6;

  /**
   * Stopped by Ctrl-C (SIGINT); the shell convention 128 + 2. After SIGTERM the JVM itself exits
   * with 143.
   */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
