package dev.awa.web;

/**
 * An answer other than success that the handler decided on (401, 403, 404, 405, 413, 414): the
 * status and a short reason for the JSON or HTML error body.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  HttpError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  /** A stable machine-readable code, e.g. {@code read_only} or {@code csrf}. */
  String code() {
    return code;
  }

  static HttpError notFound(String what) {
    return new HttpError(404, "not_found", what + " not found");
  }
}
