package dev.awa.cli;

import dev.awa.core.AwaSqlException;
import dev.awa.core.InvalidArgumentException;
import dev.awa.core.InvalidJobException;
import dev.awa.core.SchemaVersionException;
import java.io.PrintWriter;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reports every failure as one line on stderr ({@code awa: ...}) with the exit code from {@link
 * ExitCodes}; the stack trace follows only with {@code --verbose}. Bad command lines get one line
 * plus a pointer to {@code --help} instead of picocli's full usage text.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(
        "awa: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    if (verboseRequested(args)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    err.println("awa: " + message(e));
    if (verboseRequested(parseResult.originalArgs().toArray(String[]::new))) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof SchemaVersionException) {
      return ExitCodes.SCHEMA;
    }
    if (e instanceof InvalidJobException || e instanceof InvalidArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof AwaSqlException sql && ConnectionFailures.isConnectionState(sql.sqlState())) {
      return ExitCodes.DATABASE_UNAVAILABLE;
    }
    if (e instanceof SQLException sql && ConnectionFailures.isConnectionState(sql.getSQLState())) {
      return ExitCodes.DATABASE_UNAVAILABLE;
    }
    return ExitCodes.FAILURE;
  }

  private static String message(Exception e) {
    if (e instanceof SQLException sql) {
      return "database error: " + sql.getMessage() + " (SQLSTATE " + sql.getSQLState() + ")";
    }
    if (e instanceof CliException || e instanceof SchemaVersionException) {
      return e.getMessage();
    }
    String text = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return e instanceof dev.awa.core.AwaException ? text : "unexpected error: " + text;
  }

  /**
   * Whether {@code --verbose} was given anywhere on the line. Read from the raw arguments so it
   * works for parse errors too, where no option values have been applied yet.
   */
  private static boolean verboseRequested(String[] args) {
    for (String arg : args) {
      if ("--".equals(arg)) {
        return false;
      }
      if (AwaCli.VERBOSE_OPTION.equals(arg)) {
        return true;
      }
    }
    return false;
  }
}
