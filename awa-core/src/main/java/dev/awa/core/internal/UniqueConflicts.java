package dev.awa.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awa.core.DuplicateJobException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Not API. Recognises the refusal raised by the unique-claim trigger ({@code
 * awa.sync_unique_claim}, migration V2) by its structured fields, never by message text: SQLSTATE
 * {@value #UNIQUE_VIOLATION} (unique_violation) with the CONSTRAINT field {@value #CONSTRAINT}, the
 * primary key of {@code awa.job_unique_claims}, which only that trigger writes. Its DETAIL carries
 * {@value #DETAIL_PREFIX} and a JSON object naming the holder, the refused job, its kind, key and
 * claim. The holder comes from the trigger, which read it while holding the lock on the contested
 * claim, so it is never missing or stale.
 */
public final class UniqueConflicts {
  /** SQLSTATE unique_violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** The constraint the trigger names in its refusal. */
  public static final String CONSTRAINT = "job_unique_claims_pkey";

  /** How the trigger's DETAIL starts; the JSON payload follows. */
  public static final String DETAIL_PREFIX = "awa_unique_conflict ";

  private UniqueConflicts() {}

  /** The refusal carried by {@code e} as a {@link DuplicateJobException}, if it is one. */
  public static Optional<DuplicateJobException> from(SQLException e) {
    return serverMessage(e)
        .filter(m -> CONSTRAINT.equals(m.getConstraint()))
        .map(ServerErrorMessage::getDetail)
        .filter(d -> d.startsWith(DETAIL_PREFIX))
        .map(d -> parse(d.substring(DETAIL_PREFIX.length())))
        .map(n -> toException(n, e));
  }

  /**
   * The server's structured error of a unique violation, from {@code e} or the driver exception it
   * wraps (a pool or proxy may wrap it).
   */
  private static Optional<ServerErrorMessage> serverMessage(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p
          && UNIQUE_VIOLATION.equals(p.getSQLState())
          && p.getServerErrorMessage() != null) {
        return Optional.of(p.getServerErrorMessage());
      }
    }
    return Optional.empty();
  }

  private static JsonNode parse(String json) {
    try {
      return JobJson.MAPPER.readTree(json);
    } catch (IOException ex) {
      return null;
    }
  }

  private static DuplicateJobException toException(JsonNode n, SQLException cause) {
    JsonNode key = n.get("key");
    DuplicateJobException d =
        new DuplicateJobException(
            n.path("kind").asText(null),
            key == null || key.isNull() ? null : key.asText(),
            n.path("holder").asLong());
    d.initCause(cause);
    return d;
  }
}
