package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.CallbackSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The callback role: what the code receiving an external system's answer calls to resolve a job
 * parked on a callback id (see {@link JobContext} for registering one). Get it from {@link
 * AwaClient#callbacks()}. Of several concurrent resolutions of one callback exactly one returns
 * {@link CallbackOutcome#RESOLVED}. Thread-safe; database failures are {@link AwaSqlException}.
 */
public final class CallbackClient {
  @FunctionalInterface
  private interface Resolution {
    boolean apply(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  CallbackClient(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /**
   * Completes the job waiting on {@code callbackId}; {@code result} is stored in metadata.
   *
   * @throws InvalidArgumentException if {@code result} cannot be written as JSON or holds text
   *     PostgreSQL's jsonb cannot store (NUL, a lone surrogate)
   */
  public CallbackOutcome completeCallback(UUID callbackId, Object result) {
    Arguments.notNull("callbackId", callbackId);
    String json;
    try {
      json = mapper.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException(
          "result", "cannot be written as JSON: " + e.getOriginalMessage());
    }
    Arguments.json("result", json);
    return resolve("completeCallback", callbackId, c -> CallbackSql.complete(c, callbackId, json));
  }

  /**
   * Fails the job waiting on {@code callbackId} for good, recording {@code message}.
   *
   * @throws InvalidArgumentException if {@code message} holds text PostgreSQL cannot store
   */
  public CallbackOutcome failCallback(UUID callbackId, String message) {
    Arguments.text("message", message);
    return resolve("failCallback", callbackId, c -> CallbackSql.fail(c, callbackId, message));
  }

  /** Makes the parked job waiting on {@code callbackId} available for another attempt now. */
  public CallbackOutcome retryCallback(UUID callbackId) {
    return resolve("retryCallback", callbackId, c -> CallbackSql.retryParked(c, callbackId));
  }

  /** Extends the callback's timeout to {@code timeout} from now. */
  public CallbackOutcome heartbeatCallback(UUID callbackId, Duration timeout) {
    Arguments.positive("timeout", timeout);
    return resolve(
        "heartbeatCallback",
        callbackId,
        c -> CallbackSql.extendTimeout(c, callbackId, timeout.toMillis()));
  }

  private CallbackOutcome resolve(String op, UUID callbackId, Resolution resolution) {
    Arguments.notNull("callbackId", callbackId);
    return Jdbc.withConnection(
        dataSource,
        op,
        c -> {
          if (resolution.apply(c)) {
            return CallbackOutcome.RESOLVED;
          }
          return CallbackSql.exists(c, callbackId)
              ? CallbackOutcome.ALREADY_RESOLVED
              : CallbackOutcome.NOT_FOUND;
        });
  }
}
