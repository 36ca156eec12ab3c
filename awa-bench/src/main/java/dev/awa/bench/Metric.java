package dev.awa.bench;

/**
 * One measured figure of one repetition.
 *
 * @param name stable identifier, e.g. {@code copy_jobs_per_s}
 * @param unit e.g. {@code jobs/s}, {@code ms}, {@code ratio}, {@code %}
 * @param value the figure
 * @param description what it is, in words, for the report
 */
public record Metric(String name, String unit, double value, String description) {}
