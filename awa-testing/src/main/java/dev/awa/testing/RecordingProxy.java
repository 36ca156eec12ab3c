package dev.awa.testing;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;

/**
 * An implementation of any interface that records each call as {@code "method[args]"} and, when
 * asked, throws after recording: what a test of a composite or fan-out needs to check that every
 * method of an SPI reaches every delegate, including one added later.
 */
public final class RecordingProxy {
  private RecordingProxy() {}

  /**
   * A {@code type} whose every interface call is appended to {@code calls}; {@code throwing} makes
   * each call throw an {@link IllegalStateException} after it was recorded. Methods of {@link
   * Object} behave as identity.
   */
  public static <T> T of(Class<T> type, List<String> calls, boolean throwing) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> "recorder";
                };
              }
              calls.add(method.getName() + Arrays.toString(args));
              if (throwing) {
                throw new IllegalStateException("listener failure in " + method.getName());
              }
              return null;
            }));
  }
}
