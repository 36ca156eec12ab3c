package dev.awa.core.internal;

import dev.awa.core.InvalidJobException;

/**
 * Not API. Checks of a job's serialized args and metadata, shared by the enqueue paths and the
 * periodic-job declarations of awa-maintenance, so both refuse the same things the same way.
 */
public final class JobJson {
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
