package dev.awa.spring;

import dev.awa.core.UnknownKindPolicy;
import dev.awa.maintenance.LoopLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code awa.*} properties. A setting left unset keeps the default of awa-core or
 * awa-maintenance (stated on each property); every value is checked when the beans are built and a
 * bad one fails start-up naming the property and its limit (see {@link AwaPropertyException}).
 * docs/spring-boot.md lists them all with defaults and ranges.
 */
@ConfigurationProperties(prefix = "awa")
public class AwaProperties {
  /**
   * Apply the Awa schema migrations at start-up (idempotent). Set false when Flyway or Liquibase
   * runs the SQL of {@code awa migrate --sql}; start-up then only checks the schema version.
   */
  private boolean migrateOnStart = true;

  /** Queues this process works, by name. Queues named by @AwaWorker are added automatically. */
  private Map<String, Queue> queues = new LinkedHashMap<>();

  /** Worker runtime settings. */
  private final Runtime runtime = new Runtime();

  /** Maintenance leader settings. */
  private final Maintenance maintenance = new Maintenance();

  /** Periodic jobs, by schedule name (unique per database). */
  private Map<String, Periodic> periodic = new LinkedHashMap<>();

  /** The awa-web dashboard served from this process (needs dev.awa:awa-web on the classpath). */
  private final Dashboard dashboard = new Dashboard();

  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  public void setMigrateOnStart(boolean migrateOnStart) {
    this.migrateOnStart = migrateOnStart;
  }

  public Map<String, Queue> getQueues() {
    return queues;
  }

  public void setQueues(Map<String, Queue> queues) {
    this.queues = queues;
  }

  public Runtime getRuntime() {
    return runtime;
  }

  public Maintenance getMaintenance() {
    return maintenance;
  }

  public Map<String, Periodic> getPeriodic() {
    return periodic;
  }

  public void setPeriodic(Map<String, Periodic> periodic) {
    this.periodic = periodic;
  }

  public Dashboard getDashboard() {
    return dashboard;
  }

  /** One queue: {@code awa.queues.<name>.*}. */
  public static class Queue {
    /**
     * Handler slots of this queue, 1 to 10000. Unset: awa.runtime.default-concurrency (default 10).
     */
    private Integer concurrency;

    /** How long one attempt may run (positive). Unset: awa.runtime.default-deadline (5m). */
    private Duration deadline;

    public Integer getConcurrency() {
      return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    public Duration getDeadline() {
      return deadline;
    }

    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }
  }

  /** {@code awa.runtime.*}. */
  public static class Runtime {
    /** Run workers in this process. False for a service that only enqueues. */
    private boolean enabled = true;

    /** Concurrency of queues that do not set their own, 1 to 10000. */
    private int defaultConcurrency = 10;

    /** Deadline of queues that do not set their own, 1ms to 7d (awa-core default 5m). */
    private Duration defaultDeadline;

    /** How often an idle queue polls without a notification, 10ms to 1h (default 500ms). */
    private Duration pollInterval;

    /** Most jobs one claim statement takes, 1 to 10000 (default 100). */
    private Integer claimBatchSize;

    /** How often in-flight leases are refreshed, 10ms to 1h (default 30s). */
    private Duration heartbeatInterval;

    /**
     * After how long without a heartbeat a lease counts as dead, 20ms to 1d, above the heartbeat
     * interval (default 90s). The maintenance leader of this process uses the same figure.
     */
    private Duration heartbeatStaleness;

    /**
     * How long shutdown waits for running handlers before handing them back, 0 to 1h and less than
     * spring.lifecycle.timeout-per-shutdown-phase. Unset: that timeout less a quarter of it (at
     * least 2s, at most 5s, never more than half).
     */
    private Duration drainTimeout;

    /** How long the completer waits to fill a batch, 0 to 1s (default 1ms). */
    private Duration completerFlushInterval;

    /** LISTEN for wake-ups and cancels; without it queues only poll. */
    private boolean listen = true;

    /**
     * A direct jdbc:postgresql: URL for the LISTEN session (behind a transaction pooler). Unset: a
     * pooled connection is held.
     */
    private String listenerUrl;

    /** What to do with jobs of a kind no worker is registered for (default retry). */
    private UnknownKindPolicy unknownKinds;

    /** This process's instance id, at most 200 characters (default host-pid-random). */
    private String instanceId;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getDefaultConcurrency() {
      return defaultConcurrency;
    }

    public void setDefaultConcurrency(int defaultConcurrency) {
      this.defaultConcurrency = defaultConcurrency;
    }

    public Duration getDefaultDeadline() {
      return defaultDeadline;
    }

    public void setDefaultDeadline(Duration defaultDeadline) {
      this.defaultDeadline = defaultDeadline;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Integer getClaimBatchSize() {
      return claimBatchSize;
    }

    public void setClaimBatchSize(Integer claimBatchSize) {
      this.claimBatchSize = claimBatchSize;
    }

    public Duration getHeartbeatInterval() {
      return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getHeartbeatStaleness() {
      return heartbeatStaleness;
    }

    public void setHeartbeatStaleness(Duration heartbeatStaleness) {
      this.heartbeatStaleness = heartbeatStaleness;
    }

    public Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }

    public Duration getCompleterFlushInterval() {
      return completerFlushInterval;
    }

    public void setCompleterFlushInterval(Duration completerFlushInterval) {
      this.completerFlushInterval = completerFlushInterval;
    }

    public boolean isListen() {
      return listen;
    }

    public void setListen(boolean listen) {
      this.listen = listen;
    }

    public String getListenerUrl() {
      return listenerUrl;
    }

    public void setListenerUrl(String listenerUrl) {
      this.listenerUrl = listenerUrl;
    }

    public UnknownKindPolicy getUnknownKinds() {
      return unknownKinds;
    }

    public void setUnknownKinds(UnknownKindPolicy unknownKinds) {
      this.unknownKinds = unknownKinds;
    }

    public String getInstanceId() {
      return instanceId;
    }

    public void setInstanceId(String instanceId) {
      this.instanceId = instanceId;
    }
  }

  /** {@code awa.maintenance.*}. */
  public static class Maintenance {
    /** Take part in the maintenance election (exactly one process per database leads). */
    private boolean enabled = true;

    /** Loop layout: split (urgent and hygiene loops, the default) or single. */
    private LoopLayout layout;

    /** How often a follower tries to take the lead, 50ms to 10m (default 5s). */
    private Duration electionInterval;

    /** How often the leader checks its connection, 20ms to 1m (default 1s). */
    private Duration healthCheckInterval;

    /** Socket timeout of the leader's health check, 50ms to 1m (default 2s). */
    private Duration healthCheckTimeout;

    /** statement_timeout of every branch transaction, 100ms to 1h (default 30s). */
    private Duration statementTimeout;

    /**
     * How long stopping waits for running branch bodies per loop, 0 to 10m. Unset: an eighth of the
     * shutdown margin left after the runtime's drain, at most 10s (see docs/spring-boot.md).
     */
    private Duration shutdownTimeout;

    /** Interval per built-in branch name (e.g. promote_scheduled: 250ms), 10ms to 24h. */
    private Map<String, Duration> intervals = new LinkedHashMap<>();

    /** Built-in branches to turn off (e.g. cleanup when another tool owns retention). */
    private List<String> disabledBranches = new ArrayList<>();

    /** Retention per finished state (completed: 24h, failed and cancelled: 72h), 1s to 3650d. */
    private Map<String, Duration> retention = new LinkedHashMap<>();

    /**
     * A direct jdbc:postgresql: URL for the leader's session (required behind a transaction
     * pooler). Unset: a pooled connection is held while leading.
     */
    private String leaderUrl;

    /** User for awa.maintenance.leader-url when the URL does not carry it. */
    private String leaderUsername;

    /** Password for awa.maintenance.leader-url. */
    private String leaderPassword;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public LoopLayout getLayout() {
      return layout;
    }

    public void setLayout(LoopLayout layout) {
      this.layout = layout;
    }

    public Duration getElectionInterval() {
      return electionInterval;
    }

    public void setElectionInterval(Duration electionInterval) {
      this.electionInterval = electionInterval;
    }

    public Duration getHealthCheckInterval() {
      return healthCheckInterval;
    }

    public void setHealthCheckInterval(Duration healthCheckInterval) {
      this.healthCheckInterval = healthCheckInterval;
    }

    public Duration getHealthCheckTimeout() {
      return healthCheckTimeout;
    }

    public void setHealthCheckTimeout(Duration healthCheckTimeout) {
      this.healthCheckTimeout = healthCheckTimeout;
    }

    public Duration getStatementTimeout() {
      return statementTimeout;
    }

    public void setStatementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
    }

    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    public Map<String, Duration> getIntervals() {
      return intervals;
    }

    public void setIntervals(Map<String, Duration> intervals) {
      this.intervals = intervals;
    }

    public List<String> getDisabledBranches() {
      return disabledBranches;
    }

    public void setDisabledBranches(List<String> disabledBranches) {
      this.disabledBranches = disabledBranches;
    }

    public Map<String, Duration> getRetention() {
      return retention;
    }

    public void setRetention(Map<String, Duration> retention) {
      this.retention = retention;
    }

    public String getLeaderUrl() {
      return leaderUrl;
    }

    public void setLeaderUrl(String leaderUrl) {
      this.leaderUrl = leaderUrl;
    }

    public String getLeaderUsername() {
      return leaderUsername;
    }

    public void setLeaderUsername(String leaderUsername) {
      this.leaderUsername = leaderUsername;
    }

    public String getLeaderPassword() {
      return leaderPassword;
    }

    public void setLeaderPassword(String leaderPassword) {
      this.leaderPassword = leaderPassword;
    }
  }

  /** One periodic job: {@code awa.periodic.<name>.*}. */
  public static class Periodic {
    /** Cron expression: 5 fields, or 6 with seconds first. Required. */
    private String cron;

    /** Time zone id the expression is evaluated in (default UTC). */
    private String zone;

    /** Kind of the job enqueued at each fire. Required. */
    private String kind;

    /** Queue of the job enqueued at each fire (default "default"). */
    private String queue;

    /** Arguments of the job enqueued at each fire (a JSON object). */
    private Map<String, Object> args = new LinkedHashMap<>();

    public String getCron() {
      return cron;
    }

    public void setCron(String cron) {
      this.cron = cron;
    }

    public String getZone() {
      return zone;
    }

    public void setZone(String zone) {
      this.zone = zone;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public String getQueue() {
      return queue;
    }

    public void setQueue(String queue) {
      this.queue = queue;
    }

    public Map<String, Object> getArgs() {
      return args;
    }

    public void setArgs(Map<String, Object> args) {
      this.args = args;
    }
  }

  /** {@code awa.dashboard.*}: the awa-web dashboard, started after the runtime. */
  public static class Dashboard {
    /** Serve the awa-web dashboard from this process (needs dev.awa:awa-web). */
    private boolean enabled = false;

    /**
     * TCP port, 0 to 65535 (0 picks a free one, logged at start-up). Not 8080, Boot's own
     * server.port default.
     */
    private int port = 8081;

    /** Address to bind; 0.0.0.0 for every interface (then set a token or basic auth). */
    private String bind = "127.0.0.1";

    /** Hide and refuse every action (retry, cancel, delete, pause). */
    private boolean readOnly = false;

    /** Require this bearer token (at least 16 characters); browsers open /login?token=... */
    private String token;

    /** Require HTTP basic auth with this user (with awa.dashboard.password; not with a token). */
    private String username;

    /** Password for awa.dashboard.username, at least 8 characters. */
    private String password;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public String getBind() {
      return bind;
    }

    public void setBind(String bind) {
      this.bind = bind;
    }

    public boolean isReadOnly() {
      return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
      this.readOnly = readOnly;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }
  }
}
