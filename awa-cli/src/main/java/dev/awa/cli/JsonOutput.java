package dev.awa.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awa.core.JobRow;
import dev.awa.core.internal.JobJson;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code --json} output: pretty-printed, snake_case keys like the database columns, instants as
 * ISO-8601 strings, and a job's args, metadata and errors as JSON values rather than strings.
 */
final class JsonOutput {
  /**
   * Awa's one default mapper ({@link JobJson#MAPPER}), copied and given the output's own settings:
   * snake_case keys and indentation are what {@code --json} promises, not what args need.
   */
  private static final ObjectMapper MAPPER =
      JobJson.MAPPER
          .copy()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  static void print(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A job as a JSON object with every column. */
  static ObjectNode job(JobRow job) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", job.id());
    node.put("kind", job.kind());
    node.put("queue", job.queue());
    node.put("state", job.state().dbName());
    node.put("priority", job.priority());
    node.put("attempt", job.attempt());
    node.put("max_attempts", job.maxAttempts());
    node.set("args", job.argsTree());
    node.put("run_at", Formats.instant(job.runAt()));
    node.put("created_at", Formats.instant(job.createdAt()));
    node.put("attempted_at", Formats.instant(job.attemptedAt()));
    node.put("heartbeat_at", Formats.instant(job.heartbeatAt()));
    node.put("deadline_at", Formats.instant(job.deadlineAt()));
    node.put("finalized_at", Formats.instant(job.finalizedAt()));
    node.put("attempted_by", job.attemptedBy());
    node.set("errors", tree(job.errorsJson()));
    node.set("metadata", job.metadata());
    node.set("tags", MAPPER.valueToTree(job.tags()));
    node.put("unique_key", job.uniqueKey());
    node.put("run_lease", job.runLease());
    node.put("callback_id", job.callbackId() == null ? null : job.callbackId().toString());
    node.put("callback_timeout_at", Formats.instant(job.callbackTimeoutAt()));
    return node;
  }

  /** Pretty JSON of a JSON text, for the human-readable {@code jobs show}. */
  static String pretty(String json) {
    try {
      return MAPPER.writeValueAsString(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
