package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.RecordingProxy;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MaintenanceListener#composite}: every SPI method reaches every listener. */
class CompositeListenerTest {
  private static MaintenanceListener recorder(List<String> calls, boolean throwing) {
    return RecordingProxy.of(MaintenanceListener.class, calls, throwing);
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    } else if (type == int.class) {
      return 3;
    } else if (type == long.class) {
      return 4L;
    } else if (type == boolean.class) {
      return true;
    } else if (type == Duration.class) {
      return Duration.ofMillis(5);
    } else if (type == QueueStats.class) {
      return new QueueStats(Instant.EPOCH, Map.of(), Map.of());
    }
    throw new AssertionError("no sample for " + type + "; extend the test");
  }

  @Test
  void everySpiMethodIsForwardedToEveryListenerEvenWhenOneThrows() throws Exception {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    MaintenanceListener composite =
        MaintenanceListener.composite(recorder(first, true), recorder(second, false));
    List<String> expected = new ArrayList<>();
    for (Method m : MaintenanceListener.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Object[] args = Arrays.stream(m.getParameterTypes()).map(t -> sample(t)).toArray();
      m.invoke(composite, args);
      expected.add(m.getName() + Arrays.toString(args));
    }
    assertThat(expected).hasSize(13);
    assertThat(first).containsExactlyElementsOf(expected);
    assertThat(second).containsExactlyElementsOf(expected);
  }
}
