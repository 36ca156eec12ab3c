package dev.awa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link BenchReport} as a Markdown page: metric table, settings and machine. */
public final class MarkdownReportWriter {

  /** Writes {@code report} to {@code file}, replacing it. */
  public void write(BenchReport report, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  /** The Markdown text of {@code report}. */
  public String render(BenchReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark `").append(report.scenario()).append("`\n\n");
    md.append(report.description()).append("\n\n");
    md.append("Run ")
        .append(report.startedAt())
        .append(" to ")
        .append(report.finishedAt())
        .append(", ")
        .append(report.repetitions())
        .append(" measured repetitions after ")
        .append(report.warmupRuns())
        .append(" discarded warm-up run(s), each on a fresh database; median and range (min–max).")
        .append(" Correctness checks: ")
        .append(report.passed() ? "**all passed**" : "**FAILED** (see JSON)")
        .append(".\n\n");
    md.append("| metric | median | min | max | unit | what |\n");
    md.append("|---|---:|---:|---:|---|---|\n");
    for (MetricSummary m : report.metrics()) {
      md.append("| `")
          .append(m.name())
          .append("` | ")
          .append(format(m.median()))
          .append(" | ")
          .append(format(m.min()))
          .append(" | ")
          .append(format(m.max()))
          .append(" | ")
          .append(m.unit())
          .append(" | ")
          .append(m.description())
          .append(" |\n");
    }
    md.append("\n## Settings\n\n| setting | value |\n|---|---|\n");
    report.settings().forEach((k, v) -> row(md, k, String.valueOf(v)));
    MachineInfo m = report.machine();
    md.append("\n## Machine\n\n| | |\n|---|---|\n");
    row(md, "cores", String.valueOf(m.cores()));
    row(md, "memory", m.memoryMiB() + " MiB");
    row(md, "OS", m.os());
    row(md, "JVM", m.jvm());
    row(md, "PostgreSQL", m.postgresVersion());
    row(md, "PostgreSQL backend", m.postgresBackend() + " (host " + m.postgresHost() + ")");
    for (Map.Entry<String, String> s : m.postgresSettings().entrySet()) {
      row(md, "PostgreSQL " + s.getKey(), s.getValue());
    }
    row(
        md,
        "load average (1 min) start / end",
        format(m.loadAverageAtStart()) + " / " + format(report.loadAverageAtEnd()));
    return md.toString();
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  /** Whole numbers above 100 without decimals, smaller figures with two. */
  static String format(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
