package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.JobJson;

/** Awa's own JSON needs (error lists, raw-args validation); user args use the client's mapper. */
final class Json {
  /** The one default mapper, {@link JobJson#MAPPER} (defined there so every module shares it). */
  static final ObjectMapper MAPPER = JobJson.MAPPER;

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The error entry as a one-element JSON array, ready for {@code errors || ?::jsonb}. */
  static String errorArray(JobError error) {
    return "[" + write(error) + "]";
  }
}
