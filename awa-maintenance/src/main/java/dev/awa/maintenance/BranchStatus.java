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
    String lastError) {}
