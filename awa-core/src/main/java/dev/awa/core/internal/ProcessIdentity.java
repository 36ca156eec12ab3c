package dev.awa.core.internal;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Not API. Who this process is, decided once: the runtime and the maintenance service of one
 * process share one instance id (one {@code awa.runtime_instances} row) unless the application
 * names them itself.
 */
public final class ProcessIdentity {
  private static final String HOSTNAME = lookUpHostname();
  private static final String INSTANCE_ID = newInstanceId();

  private ProcessIdentity() {}

  /** This host's name, or {@code unknown} when it cannot be resolved. */
  public static String hostname() {
    return HOSTNAME;
  }

  /** {@code hostname-pid-random}: the same value for every caller in this process. */
  public static String instanceId() {
    return INSTANCE_ID;
  }

  /**
   * A fresh id of the same form, {@code hostname-pid-random}, for a caller that must not share the
   * process's (the Spring Boot starter gives each application context its own).
   */
  public static String newInstanceId() {
    return HOSTNAME
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String lookUpHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
