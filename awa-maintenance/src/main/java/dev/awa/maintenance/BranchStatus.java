package dev.awa.maintenance;

import java.time.Duration;
import java.time.Instant;

/**
 * What this process last observed of one branch (it is also written to {@code
 * awa.maintenance_branches} by {@code refresh_admin_metadata}).
 *
 * @param branch the branch name
 * @param loop the thread it runs on: {@code urgent}, {@code hygiene}, {@code single} or the
 *     branch's own name for a dedicated loop
 * @param interval its interval
 * @param overrunState whether it keeps up
 * @param overrunEpisodes on-time to delayed flips so far
 * @param lastStartedAt start of the last run, or null
 * @param lastSuccessAt end of the last successful run, or null
 * @param lastDuration body duration of the last run, or null
 * @param lastError message of the last failure, cleared by a success
 * @param recentRuns how many recent runs the percentiles cover (at most 128)
 * @param durationP50 median body duration over the recent runs, or null without runs
 * @param durationP99 99th percentile body duration over the recent runs, or null
 * @param latenessP50 median lateness (start behind its grid point) over the recent runs, or null
 * @param latenessP99 99th percentile lateness over the recent runs, or null
 */
public record BranchStatus(
    String branch,
    String loop,
    Duration interval,
    OverrunState overrunState,
    long overrunEpisodes,
    Instant lastStartedAt,
    Instant lastSuccessAt,
    Duration lastDuration,
    String lastError,
    int recentRuns,
    Duration durationP50,
    Duration durationP99,
    Duration latenessP50,
    Duration latenessP99) {

  /** A status without recent-run percentiles (as before they were recorded). */
  public BranchStatus(
      String branch,
      String loop,
      Duration interval,
      OverrunState overrunState,
      long overrunEpisodes,
      Instant lastStartedAt,
      Instant lastSuccessAt,
      Duration lastDuration,
      String lastError) {
    this(
        branch,
        loop,
        interval,
        overrunState,
        overrunEpisodes,
        lastStartedAt,
        lastSuccessAt,
        lastDuration,
        lastError,
        0,
        null,
        null,
        null,
        null);
  }
}
