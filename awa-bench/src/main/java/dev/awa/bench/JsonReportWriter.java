package dev.awa.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link BenchReport} as indented JSON, the machine-readable record of a run. */
public final class JsonReportWriter {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes {@code report} to {@code file}, replacing it. */
  public void write(BenchReport report, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    mapper.writeValue(file.toFile(), report);
  }

  /** Reads a report back (used by tests and by tools that compare runs). */
  public BenchReport read(Path file) throws IOException {
    return mapper.readValue(file.toFile(), BenchReport.class);
  }
}
