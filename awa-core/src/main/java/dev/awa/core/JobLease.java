package dev.awa.core;

/**
 * The right to write the outcome of one attempt: a job id and the run lease stamped by the claim
 * that started the attempt. Every worker write is fenced by it.
 *
 * @param id the job id
 * @param runLease the lease stamped at claim time
 */
public record JobLease(long id, long runLease) {}
