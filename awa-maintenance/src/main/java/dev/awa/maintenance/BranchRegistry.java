package dev.awa.maintenance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in branches, one registration line each, and the one path every branch (built-in or
 * added with {@link MaintenanceService.Builder#addBranch}) is registered through. A new built-in is
 * one file (the branch, with its name, default interval and config record) plus one line in {@link
 * #BUILT_INS}.
 */
final class BranchRegistry {
  /** What a built-in's factory gets: the service's config, its interval, the statuses to report. */
  record Wiring(
      MaintenanceConfig config, Duration interval, Supplier<List<BranchStatus>> statuses) {}

  /** A built-in: its name, default interval, and how to make it (null: not applicable). */
  record BuiltIn(
      String name, Duration defaultInterval, Function<Wiring, MaintenanceBranch> factory) {}

  /** The built-ins, in the order they are registered. */
  static final List<BuiltIn> BUILT_INS =
      List.of(
          new BuiltIn(
              PromoteScheduledBranch.NAME,
              PromoteScheduledBranch.DEFAULT_INTERVAL,
              w -> new PromoteScheduledBranch(w.interval(), w.config().promote(), timeout(w))),
          new BuiltIn(
              RescueStaleHeartbeatsBranch.NAME,
              RescueBranch.DEFAULT_INTERVAL,
              w ->
                  new RescueStaleHeartbeatsBranch(
                      w.interval(),
                      w.config().rescue(),
                      timeout(w),
                      w.config().heartbeatStaleness())),
          new BuiltIn(
              RescueExpiredDeadlinesBranch.NAME,
              RescueBranch.DEFAULT_INTERVAL,
              w -> new RescueExpiredDeadlinesBranch(w.interval(), w.config().rescue(), timeout(w))),
          new BuiltIn(
              RescueExpiredCallbacksBranch.NAME,
              RescueBranch.DEFAULT_INTERVAL,
              w -> new RescueExpiredCallbacksBranch(w.interval(), w.config().rescue(), timeout(w))),
          new BuiltIn(
              CleanupBranch.NAME,
              CleanupBranch.DEFAULT_INTERVAL,
              w ->
                  new CleanupBranch(
                      w.interval(), w.config().cleanup(), timeout(w), w.config().lockTimeout())),
          new BuiltIn(
              QueueStatsBranch.NAME,
              QueueStatsBranch.DEFAULT_INTERVAL,
              w -> new QueueStatsBranch(w.interval(), timeout(w))),
          new BuiltIn(
              PriorityAgingBranch.NAME,
              PriorityAgingBranch.DEFAULT_INTERVAL,
              w -> new PriorityAgingBranch(w.interval(), w.config().aging(), timeout(w))),
          new BuiltIn(
              RefreshAdminMetadataBranch.NAME,
              RefreshAdminMetadataBranch.DEFAULT_INTERVAL,
              w ->
                  new RefreshAdminMetadataBranch(
                      w.interval(),
                      timeout(w),
                      w.config().hostname(),
                      w.config().pid(),
                      w.statuses(),
                      w.config().staleInstanceAfter())),
          new BuiltIn(
              CronSyncBranch.NAME,
              CronSyncBranch.DEFAULT_INTERVAL,
              w ->
                  w.config().periodicJobs().isEmpty()
                      ? null
                      : new CronSyncBranch(
                          w.interval(),
                          w.config().periodicJobs(),
                          w.config().objectMapper(),
                          timeout(w),
                          w.config().clock())),
          new BuiltIn(
              CronEvaluateBranch.NAME,
              CronEvaluateBranch.DEFAULT_INTERVAL,
              w -> new CronEvaluateBranch(w.interval(), timeout(w), w.config().clock())));

  /** The built-ins' default intervals, by name. */
  static final Map<String, Duration> DEFAULT_INTERVALS = defaultIntervals();

  private BranchRegistry() {}

  private static Duration timeout(Wiring w) {
    return w.config().statementTimeout();
  }

  private static Map<String, Duration> defaultIntervals() {
    Map<String, Duration> m = new LinkedHashMap<>();
    for (BuiltIn b : BUILT_INS) {
      m.put(b.name(), b.defaultInterval());
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Whether {@code name} is a built-in. */
  static boolean isBuiltIn(String name) {
    return DEFAULT_INTERVALS.containsKey(name);
  }

  /**
   * Checks {@code branch} against the branches already registered (and the built-in names): a
   * lower_snake_case name not taken, an interval within the limits.
   *
   * @throws InvalidMaintenanceConfigException naming {@code branch.name} or {@code branch.interval}
   */
  static void check(MaintenanceBranch branch, Collection<String> taken) {
    Objects.requireNonNull(branch, "branch");
    String name = branch.name();
    if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new InvalidMaintenanceConfigException(
          "branch.name", "must be lower_snake_case, 1 to 63 characters, was '" + name + "'");
    }
    if (taken.contains(name)) {
      throw new InvalidMaintenanceConfigException(
          "branch.name", "'" + name + "' is already registered");
    }
    Limits.range(
        "branch.interval(" + name + ")",
        branch.interval(),
        Limits.MIN_INTERVAL,
        Limits.MAX_INTERVAL);
  }

  /**
   * Every branch of {@code config}: the built-ins not disabled, then the added ones, each through
   * {@link #check}.
   */
  static List<MaintenanceBranch> compose(
      MaintenanceConfig config, Supplier<List<BranchStatus>> statuses) {
    List<MaintenanceBranch> all = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (BuiltIn b : BUILT_INS) {
      if (config.disabled().contains(b.name())) {
        continue;
      }
      Duration interval = config.intervals().getOrDefault(b.name(), b.defaultInterval());
      MaintenanceBranch branch = b.factory().apply(new Wiring(config, interval, statuses));
      if (branch != null) {
        register(all, names, branch);
      }
    }
    for (MaintenanceBranch branch : config.extraBranches()) {
      register(all, names, branch);
    }
    return List.copyOf(all);
  }

  private static void register(
      List<MaintenanceBranch> all, List<String> names, MaintenanceBranch branch) {
    check(branch, names);
    all.add(branch);
    names.add(branch.name());
  }
}
