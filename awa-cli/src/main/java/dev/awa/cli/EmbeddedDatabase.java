package dev.awa.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A throwaway PostgreSQL 17 server for {@code awa demo}: its data directory is a fresh temporary
 * directory, and {@link #close()} stops the server and deletes the directory. The demo calls it
 * from its shutdown hook too, so Ctrl-C leaves no postgres process or data directory behind.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private boolean closed;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /** Starts a server on a free port. Takes a few seconds (initdb). */
  static EmbeddedDatabase start() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("awa-demo-pg-");
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(true)
              // The demo's ShutdownSequence stops the server last, after the runtime and the
              // maintenance leader; zonky's own hook would stop it at once and concurrently,
              // under the feet of a runtime still handing jobs back.
              .setRegisterShutdownHook(false)
              // A demo's data is thrown away on exit: durability only costs time here.
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .start();
      return new EmbeddedDatabase(pg, dir);
    } catch (IOException | RuntimeException e) {
      if (dir != null) {
        deleteRecursively(dir);
      }
      throw new CliException(
          ExitCodes.FAILURE,
          "could not start the embedded PostgreSQL: "
              + (e.getMessage() == null ? e.toString() : e.getMessage())
              + " (or point the demo at a server with --database-url)",
          e);
    }
  }

  /** The JDBC URL of the {@code postgres} database, credentials included. */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** Where the server keeps its data while it runs. */
  Path dataDirectory() {
    return dataDirectory;
  }

  /** Stops the server and deletes its data directory; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
    } finally {
      deleteRecursively(dataDirectory);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort: a leftover temp directory is harmless and the OS cleans /tmp eventually.
    }
  }
}
