package dev.awa.cli;

import dev.awa.core.JobState;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --state} as the database name of a {@link JobState}, any case. */
final class JobStateConverter implements ITypeConverter<JobState> {
  static final String VALID =
      Arrays.stream(JobState.values()).map(JobState::dbName).collect(Collectors.joining(", "));

  @Override
  public JobState convert(String value) {
    for (JobState s : JobState.values()) {
      if (s.dbName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new TypeConversionException("unknown state '" + value + "'; expected one of " + VALID);
  }
}
