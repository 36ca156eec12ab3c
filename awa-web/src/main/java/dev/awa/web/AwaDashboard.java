package dev.awa.web;

import com.sun.net.httpserver.HttpServer;
import dev.awa.core.AwaClient;
import dev.awa.core.internal.DaemonThreads;
import dev.awa.maintenance.CronAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Awa web dashboard: a JSON API and a browser UI over one Awa database, served by the JDK's
 * built-in HTTP server from a few threads of its own. Embed it next to your workers:
 *
 * <pre>{@code
 * AwaDashboard dashboard = AwaDashboard.builder(dataSource).port(8080).start();
 * // ... on shutdown
 * dashboard.close();
 * }</pre>
 *
 * <p>It binds to 127.0.0.1 by default. Actions (retry, cancel, delete, pause, ...) need POST with
 * the CSRF token and are refused altogether when {@link Builder#readOnly(boolean) read-only}. Use
 * {@link Builder#bearerToken(String)} or {@link Builder#basicAuth(String, String)} before binding
 * anywhere but the loopback interface. See docs/dashboard.md.
 */
public final class AwaDashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwaDashboard.class);

  static {
    // The JDK server writes the headers and the body separately; without TCP_NODELAY, Nagle's
    // algorithm and the client's delayed ACK add ~40 ms to every answer. The property is read
    // once, when the first server of the JVM starts; an explicit setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final boolean readOnly;

  private AwaDashboard(Builder b) throws IOException {
    AwaClient client = b.client != null ? b.client : AwaClient.create(b.dataSource);
    CronAdmin cron = new CronAdmin(b.dataSource);
    Access access = new Access(b.bearerToken, b.basicUser, b.basicPassword);
    DashboardHandler handler =
        new DashboardHandler(
            new DashboardQueries(b.dataSource),
            new DashboardActions(b.dataSource, client, cron, b.maxBulk),
            client,
            cron,
            access,
            b.readOnly);
    this.executor =
        Executors.newFixedThreadPool(b.threads, DaemonThreads.numbered("awa-dashboard-"));
    this.server = HttpServer.create(new InetSocketAddress(b.bind, b.port), 64);
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    String host = b.bind.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    this.url = URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
    this.readOnly = b.readOnly;
    log.info("awa dashboard at {}{}", url, readOnly ? " (read-only)" : "");
  }

  /** Starts a builder over {@code dataSource} (the dashboard borrows a connection per request). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The root URL, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    return url;
  }

  /** The port it listens on (the actual one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Whether actions are hidden and refused. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Stops accepting requests, lets running ones finish for up to a second, then stops. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }

  /** Configuration of an {@link AwaDashboard}; {@link #start()} checks it and starts serving. */
  public static final class Builder {
    private final DataSource dataSource;
    private AwaClient client;
    private int port = 8080;
    private InetAddress bind;
    private boolean readOnly;
    private String bearerToken;
    private String basicUser;
    private String basicPassword;
    private int maxBulk = 10_000;
    private int threads = 4;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.bind = InetAddress.getLoopbackAddress();
    }

    /** The TCP port (default 8080; 0 picks a free one, see {@link AwaDashboard#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to bind (default 127.0.0.1); {@code 0.0.0.0} for every interface. */
    public Builder bind(String address) {
      Objects.requireNonNull(address, "bind");
      try {
        this.bind = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bind: unknown address '" + address + "'", e);
      }
      return this;
    }

    /** Hide and refuse every action (default false). */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Require {@code Authorization: Bearer <token>} (or the cookie set by {@code
     * /login?token=<token>}) on every request. At least 16 characters.
     */
    public Builder bearerToken(String token) {
      if (token == null || token.length() < 16) {
        throw new IllegalArgumentException("bearerToken must be at least 16 characters");
      }
      this.bearerToken = token;
      return this;
    }

    /** Require HTTP basic authentication with these credentials; the user name is logged. */
    public Builder basicAuth(String user, String password) {
      if (user == null || user.isBlank() || user.contains(":")) {
        throw new IllegalArgumentException("basicAuth user must be non-blank without ':'");
      }
      if (password == null || password.length() < 8) {
        throw new IllegalArgumentException("basicAuth password must be at least 8 characters");
      }
      this.basicUser = user;
      this.basicPassword = password;
      return this;
    }

    /** The client whose operator API the actions use (default: {@code AwaClient.create}). */
    public Builder client(AwaClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Most jobs one bulk or retry-all/discard-all request may change (default 10,000). */
    public Builder maxBulk(int maxBulk) {
      if (maxBulk < 1 || maxBulk > 1_000_000) {
        throw new IllegalArgumentException("maxBulk must be between 1 and 1000000, was " + maxBulk);
      }
      this.maxBulk = maxBulk;
      return this;
    }

    /** Request threads, each borrowing at most one connection at a time (default 4). */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be between 1 and 64, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public AwaDashboard start() {
      try {
        return new AwaDashboard(this);
      } catch (IOException e) {
        throw new UncheckedIOException("awa dashboard: cannot listen on " + bind + ":" + port, e);
      }
    }
  }
}
