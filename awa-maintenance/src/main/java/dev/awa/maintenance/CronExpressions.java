package dev.awa.maintenance;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.awa.core.InvalidJobException;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses cron expressions with cron-utils: five fields (Unix: minute hour day-of-month month
 * day-of-week) or six with a leading seconds field (Spring syntax). Parsed expressions are cached
 * because the evaluator runs every second over every schedule.
 */
final class CronExpressions {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
  private static final ConcurrentHashMap<String, ExecutionTime> CACHE = new ConcurrentHashMap<>();

  private CronExpressions() {}

  /**
   * Parses and validates {@code expression}.
   *
   * @throws InvalidJobException naming the field {@code cronExpression} and what is wrong
   */
  static ExecutionTime parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new InvalidJobException("cronExpression", "must not be null or blank");
    }
    String normalized = expression.trim().replaceAll("\\s+", " ");
    ExecutionTime cached = CACHE.get(normalized);
    if (cached != null) {
      return cached;
    }
    int fields = normalized.split(" ").length;
    CronParser parser;
    if (fields == 5) {
      parser = UNIX;
    } else if (fields == 6) {
      parser = WITH_SECONDS;
    } else {
      throw new InvalidJobException(
          "cronExpression",
          "'" + expression + "' has " + fields + " fields; expected 5 (or 6 with seconds)");
    }
    Cron cron;
    try {
      cron = parser.parse(normalized).validate();
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(
          "cronExpression",
          "'" + expression + "' is not a valid cron expression: " + e.getMessage());
    }
    ExecutionTime time = ExecutionTime.forCron(cron);
    CACHE.putIfAbsent(normalized, time);
    return time;
  }

  /** The first fire strictly after {@code after}, if the expression ever fires again. */
  static Optional<ZonedDateTime> nextAfter(String expression, ZonedDateTime after) {
    return parse(expression).nextExecution(after);
  }
}
