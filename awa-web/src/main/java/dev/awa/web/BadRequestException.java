package dev.awa.web;

/**
 * A request parameter or body field that the dashboard refuses: answered with 400 and a JSON body
 * that names the field, never with a stack trace.
 */
final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  BadRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  String field() {
    return field;
  }

  /** The reason without the field prefix. */
  String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
