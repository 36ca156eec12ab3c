package dev.awa.web;

/**
 * The answer to one action. Actions are idempotent: repeating one that already took effect (retry
 * of a job that is available again, cancel of a cancelled job) answers {@code applied = false} with
 * the reason, and changes nothing.
 *
 * @param action what was asked, e.g. {@code retry}
 * @param target the job id, queue or schedule name
 * @param applied whether this request changed anything
 * @param affected how many jobs it changed (bulk actions), 0 or 1 otherwise
 * @param message what happened, for the operator
 */
record ActionResult(String action, String target, boolean applied, long affected, String message) {
  static ActionResult one(String action, String target, boolean applied, String message) {
    return new ActionResult(action, target, applied, applied ? 1 : 0, message);
  }
}
