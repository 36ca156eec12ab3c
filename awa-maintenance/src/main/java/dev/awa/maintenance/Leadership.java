package dev.awa.maintenance;

/**
 * The one leadership flag both loops consult before every tick. Written only by the election
 * thread; read by everyone.
 */
final class Leadership {
  private volatile boolean leader;

  boolean isLeader() {
    return leader;
  }

  void set(boolean leader) {
    this.leader = leader;
  }
}
