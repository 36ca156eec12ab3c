package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.RecordingProxy;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link AwaListener#composite} forwards every method of the SPI, including ones added later. */
class CompositeListenerTest {
  private static AwaListener recorder(List<String> calls, boolean throwing) {
    return RecordingProxy.of(AwaListener.class, calls, throwing);
  }

  private static List<Method> spiMethods() {
    return Arrays.stream(AwaListener.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .toList();
  }

  /** A distinct non-null value per parameter type, so forwarding of the arguments is checked. */
  private static Object sample(Class<?> type, int position) {
    if (type == int.class) {
      return 40 + position;
    }
    if (type == String.class) {
      return "s" + position;
    }
    if (type == java.time.Duration.class) {
      return java.time.Duration.ofMillis(position + 1);
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    return null; // JobRow and other records: null is forwarded as it is
  }

  @Test
  void everyMethodReachesEveryListenerWithItsArgumentsEvenWhenOneThrows() throws Exception {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    AwaListener composite = AwaListener.composite(recorder(first, true), recorder(second, false));
    List<String> expected = new ArrayList<>();
    for (Method m : spiMethods()) {
      Class<?>[] types = m.getParameterTypes();
      Object[] args = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        args[i] = sample(types[i], i);
      }
      m.invoke(composite, args);
      expected.add(m.getName() + Arrays.toString(args));
    }
    assertThat(spiMethods()).hasSizeGreaterThanOrEqualTo(9);
    assertThat(first).containsExactlyElementsOf(expected);
    assertThat(second).as("the second listener despite the first throwing").isEqualTo(expected);
  }

  @Test
  void theCompositeOverridesEveryMethodOfTheSpi() {
    Set<String> spi =
        spiMethods().stream().map(CompositeListenerTest::signature).collect(toSortedSet());
    Set<String> overridden =
        Arrays.stream(CompositeAwaListener.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(CompositeListenerTest::signature)
            .collect(toSortedSet());
    assertThat(overridden).containsAll(spi);
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }

  private static java.util.stream.Collector<String, ?, TreeSet<String>> toSortedSet() {
    return Collectors.toCollection(TreeSet::new);
  }
}
