package dev.awa.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API. The one way Awa calls user-supplied callbacks (listeners of both SPIs, composites): a
 * callback that throws is logged once per call at WARN and never disturbs the caller, because
 * telemetry must not be able to fail a job, a claim or a maintenance round.
 */
public final class SafeCall {
  private static final Logger log = LoggerFactory.getLogger(SafeCall.class);

  private SafeCall() {}

  /** Runs {@code call}; a {@link RuntimeException} from it is logged, naming {@code target}. */
  public static void run(Object target, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("{} threw; ignoring", target.getClass().getName(), e);
    }
  }
}
