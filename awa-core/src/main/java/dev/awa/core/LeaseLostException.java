package dev.awa.core;

/**
 * The running attempt no longer holds its lease (it was cancelled, rescued or re-claimed), so the
 * requested write was not made. A handler that sees this should stop.
 */
public final class LeaseLostException extends AwaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for job {@code id} and the operation that was refused. */
  public LeaseLostException(long id, String operation) {
    super(operation + ": job " + id + " no longer holds its lease (cancelled, rescued or re-run)");
  }
}
