package dev.awa.bench;

import dev.awa.bench.scenario.CeilingScenario;
import dev.awa.bench.scenario.DrainScenario;
import dev.awa.bench.scenario.EnqueueScenario;
import dev.awa.bench.scenario.FairnessScenario;
import dev.awa.bench.scenario.HandlerSweepScenario;
import dev.awa.bench.scenario.IdleScenario;
import dev.awa.bench.scenario.LatencyScenario;
import dev.awa.bench.scenario.LongHorizonScenario;
import dev.awa.bench.scenario.ScaleScenario;
import java.util.List;

/** The registry of scenarios offered on the command line; one line per scenario. */
public final class Scenarios {
  private Scenarios() {}

  /** A new instance of every scenario, with default settings. */
  public static List<Scenario> all() {
    return List.of(
        new EnqueueScenario(),
        new CeilingScenario(),
        new DrainScenario(),
        new LatencyScenario(),
        new LongHorizonScenario(),
        new HandlerSweepScenario(),
        new FairnessScenario(),
        new ScaleScenario(),
        new IdleScenario());
  }
}
