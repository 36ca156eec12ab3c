package dev.awa.core.internal;

/**
 * Not API. Finds what PostgreSQL cannot store in {@code text} and {@code jsonb}, so a caller can
 * refuse it with a typed exception instead of the value reaching the server (an SQL error) or the
 * driver (which encodes a lone UTF-16 surrogate as {@code ?}, silently changing the data).
 *
 * <p>{@code text} cannot hold U+0000 (NUL) nor a lone surrogate (not valid UTF-8). {@code jsonb}
 * additionally refuses the escape {@code \u0000}, an escaped high surrogate not followed by an
 * escaped low one (and the reverse), and numbers outside {@code numeric}'s range (more than 131072
 * digits before the decimal point, more than 16383 after it, or an exponent of 1073741823 or more).
 *
 * <p>Each check returns null when the value can be stored, else a description of the first problem,
 * naming its position, for the caller's exception message.
 */
public final class PgText {
  /** Most significant decimal digit position a {@code numeric} can hold (10^131071). */
  private static final long NUMERIC_MAX_WEIGHT = 131_071;

  /** Most digits after the decimal point a {@code numeric} can hold. */
  private static final long NUMERIC_MAX_SCALE = 16_383;

  /** PostgreSQL refuses any exponent of this size or more, even on zero (INT_MAX / 2). */
  private static final long NUMERIC_MAX_EXPONENT = Integer.MAX_VALUE / 2;

  private PgText() {}

  /** Why {@code value} cannot be stored as {@code text}, or null when it can. */
  public static String textProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == 0) {
        return nul(i);
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        return loneSurrogate(i, ch);
      }
      if (Character.isLowSurrogate(ch)) {
        return loneSurrogate(i, ch);
      }
    }
    return null;
  }

  /**
   * Why the JSON text {@code json} cannot be stored as {@code jsonb}, or null when it can. Assumes
   * well-formed JSON (as written by Jackson or already parsed); only storability is checked.
   */
  public static String jsonProblem(String json) {
    int n = json.length();
    int i = 0;
    while (i < n) {
      char ch = json.charAt(i);
      if (ch == '"') {
        int end = stringEnd(json, i + 1);
        String problem = stringProblem(json, i + 1, end);
        if (problem != null) {
          return problem;
        }
        i = end + 1;
      } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
        int end = i + 1;
        while (end < n && "0123456789.eE+-".indexOf(json.charAt(end)) >= 0) {
          end++;
        }
        String problem = numberProblem(json, i, end);
        if (problem != null) {
          return problem;
        }
        i = end;
      } else {
        if (ch == 0) {
          return nul(i);
        }
        if (Character.isSurrogate(ch)) {
          return loneSurrogate(i, ch);
        }
        i++;
      }
    }
    return null;
  }

  /** Index of the closing quote of the string whose contents start at {@code from}. */
  private static int stringEnd(String json, int from) {
    int i = from;
    while (i < json.length()) {
      char ch = json.charAt(i);
      if (ch == '\\') {
        i += 2;
      } else if (ch == '"') {
        return i;
      } else {
        i++;
      }
    }
    return json.length();
  }

  /** Checks the contents of one JSON string, {@code [from, end)}, raw characters and escapes. */
  private static String stringProblem(String json, int from, int end) {
    int i = from;
    while (i < end) {
      char ch = json.charAt(i);
      if (ch == '\\' && i + 1 < end && json.charAt(i + 1) == 'u') {
        int unit = hex(json, i + 2, end);
        if (unit == 0) {
          return "contains a NUL character (U+0000, written as the escape \\u0000) at character "
              + i
              + ", which PostgreSQL's jsonb cannot store";
        }
        if (Character.isHighSurrogate((char) unit)) {
          int next = i + 6;
          boolean pairedEscape =
              next + 1 < end
                  && json.charAt(next) == '\\'
                  && json.charAt(next + 1) == 'u'
                  && unit >= 0
                  && Character.isLowSurrogate((char) hex(json, next + 2, end));
          if (!pairedEscape) {
            return loneSurrogate(i, (char) unit);
          }
          i = next + 6;
          continue;
        }
        if (unit >= 0 && Character.isLowSurrogate((char) unit)) {
          return loneSurrogate(i, (char) unit);
        }
        i += 6;
      } else if (ch == '\\') {
        i += 2;
      } else if (ch == 0) {
        return nul(i);
      } else if (Character.isHighSurrogate(ch)) {
        if (i + 1 < end && Character.isLowSurrogate(json.charAt(i + 1))) {
          i += 2;
        } else {
          return loneSurrogate(i, ch);
        }
      } else if (Character.isLowSurrogate(ch)) {
        return loneSurrogate(i, ch);
      } else {
        i++;
      }
    }
    return null;
  }

  /** The code unit of the 4 hex digits at {@code at}, or -1 when they are not 4 hex digits. */
  private static int hex(String s, int at, int end) {
    if (at + 4 > end) {
      return -1;
    }
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }

  /**
   * Checks a JSON number against {@code numeric}'s limits as PostgreSQL applies them: the scale is
   * the digits written after the point minus the exponent (trailing zeros count, even for zero),
   * the weight is the position of the first non-zero digit plus the exponent.
   */
  private static String numberProblem(String json, int from, int end) {
    int i = from;
    if (json.charAt(i) == '-') {
      i++;
    }
    long firstNonZero = Long.MIN_VALUE; // weight of the first non-zero digit, before the exponent
    int intStart = i;
    while (i < end && Character.isDigit(json.charAt(i))) {
      i++;
    }
    for (int k = intStart; k < i; k++) {
      if (json.charAt(k) != '0') {
        firstNonZero = i - 1 - k;
        break;
      }
    }
    long fracDigits = 0;
    if (i < end && json.charAt(i) == '.') {
      i++;
      while (i < end && Character.isDigit(json.charAt(i))) {
        fracDigits++;
        if (firstNonZero == Long.MIN_VALUE && json.charAt(i) != '0') {
          firstNonZero = -fracDigits;
        }
        i++;
      }
    }
    long exponent = 0;
    if (i < end && (json.charAt(i) == 'e' || json.charAt(i) == 'E')) {
      String digits = json.substring(i + 1, end);
      try {
        exponent = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
      } catch (NumberFormatException e) {
        // An exponent beyond a long is beyond numeric as well.
        exponent = digits.startsWith("-") ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
      }
    }
    long scale = Math.max(0, fracDigits - exponent);
    boolean overflows =
        Math.abs(exponent) >= NUMERIC_MAX_EXPONENT
            || scale > NUMERIC_MAX_SCALE
            || (firstNonZero != Long.MIN_VALUE && firstNonZero + exponent > NUMERIC_MAX_WEIGHT);
    if (overflows) {
      String number =
          end - from > 40 ? json.substring(from, from + 40) + "..." : json.substring(from, end);
      return "contains the number "
          + number
          + " at character "
          + from
          + ", outside PostgreSQL's numeric range (at most 131072 digits before the decimal point"
          + " and 16383 after it)";
    }
    return null;
  }

  private static String nul(int index) {
    return "contains a NUL character (U+0000) at character "
        + index
        + ", which PostgreSQL cannot store";
  }

  private static String loneSurrogate(int index, char unit) {
    return String.format(
        "contains a lone UTF-16 surrogate (U+%04X) at character %d, which is not valid Unicode",
        (int) unit, index);
  }
}
