package dev.awa.web;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.JobRow;
import dev.awa.core.internal.JobJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's JSON writer. {@code <}, {@code >}, {@code &} and {@code '} are written as {@code
 * \\u003c}-style escapes, so a job's args or error holding {@code <script>} can never be read as
 * markup even if a client pastes the JSON into a page; parsed, the strings are unchanged.
 */
final class JsonOut {
  static final ObjectMapper MAPPER = mapper();

  private JsonOut() {}

  /**
   * Awa's one default mapper ({@link JobJson#MAPPER}: java.time, ISO dates), copied so the
   * HTML-safe escapes, an output-only setting, do not reach the mapper that stores args.
   */
  private static ObjectMapper mapper() {
    ObjectMapper m = JobJson.MAPPER.copy();
    m.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    return m;
  }

  /** A job as the API returns it: args, metadata and errors as JSON, not as strings. */
  static Map<String, Object> job(JobRow j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("kind", j.kind());
    m.put("queue", j.queue());
    m.put("state", j.state().dbName());
    m.put("priority", j.priority());
    m.put("attempt", j.attempt());
    m.put("maxAttempts", j.maxAttempts());
    m.put("createdAt", j.createdAt());
    m.put("runAt", j.runAt());
    m.put("attemptedAt", j.attemptedAt());
    m.put("heartbeatAt", j.heartbeatAt());
    m.put("deadlineAt", j.deadlineAt());
    m.put("finalizedAt", j.finalizedAt());
    m.put("attemptedBy", j.attemptedBy());
    m.put("tags", j.tags());
    m.put("uniqueKey", j.uniqueKey());
    m.put("callbackId", j.callbackId());
    m.put("callbackTimeoutAt", j.callbackTimeoutAt());
    m.put("callbackState", JobDetailPage.callbackState(j));
    m.put("args", tree(j.argsJson()));
    m.put("metadata", tree(j.metadataJson()));
    m.put("errors", tree(j.errorsJson()));
    return m;
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }

  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table;

    HtmlSafeEscapes() {
      table = CharacterEscapes.standardAsciiEscapesForJSON();
      table['<'] = CharacterEscapes.ESCAPE_STANDARD;
      table['>'] = CharacterEscapes.ESCAPE_STANDARD;
      table['&'] = CharacterEscapes.ESCAPE_STANDARD;
      table['\''] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
