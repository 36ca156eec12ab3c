package dev.awa.maintenance;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every maintenance branch run once, on the calling thread, without an election: built by {@link
 * MaintenanceService.Builder#buildRound()} from the same registration and the same defaults as a
 * service. For tools and tests that drive maintenance themselves (a benchmark forcing two leaders
 * to overlap, a test that wants a deterministic pass, a one-shot maintenance job). Branches are
 * written to be safe when two leaders run them at once (see {@link MaintenanceBranch}), so a round
 * running beside a real leader loses and doubles nothing. Not thread-safe: one round, one caller.
 */
public final class MaintenanceRound {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceRound.class);

  private final List<MaintenanceBranch> branches;
  private final Context context;

  MaintenanceRound(MaintenanceConfig config) {
    this.branches = BranchRegistry.compose(config, List::of);
    this.context =
        new Context(config.dataSource(), config.instanceId(), () -> true, config.listener());
  }

  /** The branches a round runs, in order. */
  public List<String> branchNames() {
    List<String> names = new ArrayList<>(branches.size());
    branches.forEach(b -> names.add(b.name()));
    return names;
  }

  /**
   * Runs every branch body once, in registration order. A failing body is logged and the round goes
   * on.
   *
   * @return the names of the branches whose body threw (empty when all succeeded)
   */
  public List<String> runOnce() {
    List<String> failed = new ArrayList<>();
    for (MaintenanceBranch b : branches) {
      try {
        b.run(context);
      } catch (Exception e) {
        failed.add(b.name());
        log.warn("awa maintenance round: branch {} failed: {}", b.name(), e.toString());
      }
    }
    return failed;
  }
}
