package dev.awa.core.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.awa.core.InvalidJobException;

/**
 * Not API. Awa's JSON: the one default mapper, and the checks of a job's serialized args and
 * metadata, shared by the enqueue paths and the periodic-job declarations of awa-maintenance, so
 * both refuse the same things the same way.
 */
public final class JobJson {
  /**
   * The one default {@link ObjectMapper} of Awa: java.time support, dates as ISO text, unknown
   * properties ignored. The client's and runtime's default for user args, and what Awa's own JSON
   * (error lists, unique-conflict details, registrations) is read and written with. Output-only
   * mappers of the CLI and the dashboard configure pretty-printing on top of their own copy.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JobJson() {}

  /**
   * Args must be a JSON object or array (whether given as an object or as JSON text) that {@code
   * jsonb} can store.
   *
   * @throws InvalidJobException naming {@code args}
   */
  public static void checkArgs(String json) {
    checkShape(json);
    checkStorable("args", json);
  }

  /**
   * JSON that {@code jsonb} can store (see {@link PgText#jsonProblem}).
   *
   * @throws InvalidJobException naming {@code field}
   */
  public static void checkStorable(String field, String json) {
    String problem = PgText.jsonProblem(json);
    if (problem != null) {
      throw new InvalidJobException(field, problem);
    }
  }

  private static void checkShape(String json) {
    for (int i = 0; i < json.length(); i++) {
      char ch = json.charAt(i);
      if (ch == '{' || ch == '[') {
        return;
      }
      if (!Character.isWhitespace(ch)) {
        String shown = json.length() > 40 ? json.substring(0, 40) + "..." : json;
        throw new InvalidJobException(
            "args", "must be a JSON object or array, was the JSON value " + shown);
      }
    }
    throw new InvalidJobException("args", "must be a JSON object or array, was empty");
  }
}
