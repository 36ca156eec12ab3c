package dev.awa.spring;

import dev.awa.core.AwaClient;
import dev.awa.web.AwaDashboard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code awa.dashboard.*} into a configured (not yet started) {@link AwaDashboard.Builder}.
 * The limits stay in awa-web's builder; this class applies each property there and renames a
 * rejection to the property, as {@link PropertyCheck} does for awa-core.
 */
final class DashboardFactory {
  static final String PREFIX = "awa.dashboard.";
  private static final Logger log = LoggerFactory.getLogger(DashboardFactory.class);

  private DashboardFactory() {}

  /**
   * The builder over {@code client}'s database and operator API, every property checked.
   *
   * @throws AwaPropertyException naming the first rejected property
   */
  static AwaDashboard.Builder builder(AwaClient client, AwaProperties.Dashboard props) {
    // The client's DataSource, not "the" DataSource: an application's own AwaClient may use
    // another one, and the dashboard must show the database its actions change.
    AwaDashboard.Builder b = AwaDashboard.builder(client.dataSource()).client(client);
    apply("port", "port ", () -> b.port(props.getPort()));
    if (props.getBind() == null || props.getBind().isBlank()) {
      throw new AwaPropertyException(PREFIX + "bind", "must be an address, was empty");
    }
    apply("bind", "bind: ", () -> b.bind(props.getBind().strip()));
    b.readOnly(props.isReadOnly());
    boolean basic = props.getUsername() != null || props.getPassword() != null;
    if (props.getToken() != null && basic) {
      throw new AwaPropertyException(
          PREFIX + "token", "set either a token or awa.dashboard.username/password, not both");
    }
    if (props.getToken() != null) {
      apply("token", "bearerToken ", () -> b.bearerToken(props.getToken()));
    }
    if (basic) {
      if (props.getUsername() == null) {
        throw new AwaPropertyException(
            PREFIX + "username", "is required with awa.dashboard.password");
      }
      if (props.getPassword() == null) {
        throw new AwaPropertyException(
            PREFIX + "password", "is required with awa.dashboard.username");
      }
      try {
        b.basicAuth(props.getUsername(), props.getPassword());
      } catch (IllegalArgumentException e) {
        // One builder call checks both; its message says which ("basicAuth user ...").
        boolean user = e.getMessage().startsWith("basicAuth user ");
        throw rejected(
            user ? "username" : "password", user ? "basicAuth user " : "basicAuth password ", e);
      }
    }
    if (props.getToken() == null && !basic && !loopback(props.getBind().strip())) {
      log.warn(
          "awa dashboard binds {} without credentials: anyone who reaches the port can retry,"
              + " cancel and delete jobs; set awa.dashboard.token or awa.dashboard.username and"
              + " password",
          props.getBind());
    }
    return b;
  }

  private static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // already refused by the builder
    }
  }

  /** Runs a builder call; its {@link IllegalArgumentException} names {@code awa.dashboard.<p>}. */
  private static void apply(String property, String builderPrefix, Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException e) {
      throw rejected(property, builderPrefix, e);
    }
  }

  private static AwaPropertyException rejected(
      String property, String builderPrefix, IllegalArgumentException e) {
    String m = e.getMessage();
    String reason = m.startsWith(builderPrefix) ? m.substring(builderPrefix.length()) : m;
    AwaPropertyException ex = new AwaPropertyException(PREFIX + property, reason);
    ex.initCause(e);
    return ex;
  }
}
