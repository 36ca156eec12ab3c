package dev.awa.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The claim a unique job holds in {@code awa.job_unique_claims}: the SHA-256 (hex) of its scope
 * tuple. The tuple is ASCII: {@value #VERSION}, then {@code |kind=}, {@code |queue=} and {@code
 * |key=} with the UTF-8 bytes of the value in hex, {@code |args=} with the hash of the canonical
 * args, {@code |period=<seconds>@<bucket start, epoch seconds>}, each only when it is in the scope.
 * Hex-encoding every value makes the tuple unambiguous whatever the values contain, and makes the
 * default scope reproducible in SQL: {@code awa.default_unique_claim(kind, unique_key)} (migration
 * V2) computes exactly {@link #byKindAndKey(String, String)}, and a test holds the two together.
 */
final class UniqueClaim {
  static final String VERSION = "awa-unique-v2";

  private UniqueClaim() {}

  /**
   * The claim of {@code job}, or null when it is not unique.
   *
   * @param argsJson the job's serialized args
   * @param enqueuedAt the enqueue instant, whose period bucket a job without a run-at falls in
   */
  static String of(NewJob job, String argsJson, Instant enqueuedAt) {
    UniqueOptions u = job.uniqueOptions();
    if (u == null) {
      return null;
    }
    StringBuilder t = new StringBuilder(VERSION);
    if (u.byKind()) {
      part(t, "kind", job.kind());
    }
    if (u.byQueue()) {
      part(t, "queue", job.queue());
    }
    if (job.uniqueKey() != null) {
      part(t, "key", job.uniqueKey());
    }
    if (u.byArgs()) {
      t.append("|args=").append(CanonicalJson.sha256Hex(argsJson, u.argKeys()));
    }
    if (u.period() != null) {
      long seconds = u.period().getSeconds();
      Instant at = job.runAt() != null ? job.runAt() : enqueuedAt;
      long bucketStart = Math.floorDiv(at.getEpochSecond(), seconds) * seconds;
      t.append("|period=").append(seconds).append('@').append(bucketStart);
    }
    return sha256Hex(t.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** The claim of the default scope, as SQL's {@code awa.default_unique_claim} computes it. */
  static String byKindAndKey(String kind, String uniqueKey) {
    StringBuilder t = new StringBuilder(VERSION);
    part(t, "kind", kind);
    part(t, "key", uniqueKey);
    return sha256Hex(t.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static void part(StringBuilder t, String name, String value) {
    t.append('|').append(name).append('=');
    t.append(HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
