package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The demo's progress line says who leads without claiming a leader that does not exist. */
class ProgressLineTest {

  @Test
  void saysElectingWhileNoOtherProcessIsRecordedAsLeader() {
    assertThat(firstLine(false, false)).contains("  leader electing  ");
    assertThat(firstLine(false, true)).contains("  leader elsewhere  ");
    assertThat(firstLine(true, true)).contains("  leader here  ");
  }

  /** The first plain (non-terminal) line, printed at the fifth tick. */
  private static String firstLine(boolean leads, boolean elsewhere) {
    StringWriter out = new StringWriter();
    AtomicLong nanos = new AtomicLong();
    ProgressLine line =
        new ProgressLine(
            new PrintWriter(out),
            false,
            new DemoRecorder(),
            () -> leads,
            () -> elsewhere,
            List.of("default"),
            nanos::get);
    for (int i = 0; i < 5; i++) {
      nanos.addAndGet(1_000_000_000L);
      line.tick();
    }
    return out.toString().strip();
  }
}
