package dev.awa.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.DuplicateJobException;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Not API. Reads the refusal raised by the unique-claim trigger ({@code awa.sync_unique_claim},
 * migration V2): SQLSTATE 23505 with a DETAIL of {@value #PREFIX} followed by a JSON object naming
 * the holder, the refused job, its kind, key and claim. The holder comes from the trigger, which
 * read it while holding the lock on the contested claim, so it is never missing or stale.
 */
public final class UniqueConflicts {
  /** How the trigger's DETAIL starts. */
  public static final String PREFIX = "awa_unique_conflict ";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private UniqueConflicts() {}

  /** The refusal carried by {@code e} as a {@link DuplicateJobException}, if it is one. */
  public static Optional<DuplicateJobException> from(SQLException e) {
    return detail(e).map(UniqueConflicts::parse).map(n -> toException(n, e));
  }

  private static Optional<String> detail(SQLException e) {
    if (!"23505".equals(e.getSQLState())) {
      return Optional.empty();
    }
    if (e instanceof PSQLException p) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m != null && m.getDetail() != null && m.getDetail().startsWith(PREFIX)) {
        return Optional.of(m.getDetail().substring(PREFIX.length()));
      }
    }
    // A wrapping driver or pool may hide the server message; the detail is also in the text.
    String text = e.getMessage();
    int at = text == null ? -1 : text.indexOf(PREFIX);
    if (at < 0) {
      return Optional.empty();
    }
    int end = text.indexOf('\n', at);
    return Optional.of(text.substring(at + PREFIX.length(), end < 0 ? text.length() : end));
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (java.io.IOException ex) {
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
