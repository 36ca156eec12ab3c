package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A snapshot of one job row as read from the database. JSON columns are kept as text; read them
 * with {@link #args(ObjectMapper, Class)}, {@link #metadata()} and {@link #errors()}.
 *
 * @param id job id
 * @param kind job kind (selects the worker)
 * @param queue queue name
 * @param argsJson arguments as JSON text
 * @param state current state
 * @param priority 1 (highest) to 4
 * @param attempt attempts started so far
 * @param maxAttempts attempts allowed
 * @param runAt when the job is (or was) due
 * @param createdAt when it was enqueued
 * @param attemptedAt when the current or last attempt started, or null
 * @param heartbeatAt last heartbeat of the running attempt, or null
 * @param deadlineAt deadline of the running attempt, or null
 * @param finalizedAt when it reached a terminal state, or null
 * @param errorsJson error list as JSON text
 * @param metadataJson metadata as JSON text
 * @param tags tags
 * @param uniqueKey unique key, or null
 * @param runLease lease of the current or last attempt
 * @param callbackId callback id of the current attempt, or null
 * @param callbackTimeoutAt when the callback expires, or null
 * @param attemptedBy worker instance running the current or last attempt, or null
 */
public record JobRow(
    long id,
    String kind,
    String queue,
    String argsJson,
    JobState state,
    int priority,
    int attempt,
    int maxAttempts,
    Instant runAt,
    Instant createdAt,
    Instant attemptedAt,
    Instant heartbeatAt,
    Instant deadlineAt,
    Instant finalizedAt,
    String errorsJson,
    String metadataJson,
    List<String> tags,
    String uniqueKey,
    long runLease,
    UUID callbackId,
    Instant callbackTimeoutAt,
    String attemptedBy) {

  /** Copies the tag list so the record stays immutable. */
  public JobRow {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** The lease that fences writes for this attempt. */
  public JobLease lease() {
    return new JobLease(id, runLease);
  }

  /** The arguments mapped to {@code type} with {@code mapper}. */
  public <T> T args(ObjectMapper mapper, Class<T> type) {
    try {
      return mapper.readValue(argsJson, type);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(
          "args",
          "job " + id + " args do not map to " + type.getName() + ": " + e.getOriginalMessage());
    }
  }

  /** The arguments as a JSON tree. */
  public JsonNode argsTree() {
    return readTree(argsJson);
  }

  /** The metadata as a JSON tree. */
  public JsonNode metadata() {
    return readTree(metadataJson);
  }

  /** The recorded errors, oldest first. */
  public List<JobError> errors() {
    try {
      return Json.MAPPER.readValue(errorsJson, new TypeReference<List<JobError>>() {});
    } catch (JsonProcessingException e) {
      throw new AwaException("job " + id + " has an unreadable error list", e);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AwaException("unreadable JSON column", e);
    }
  }
}
