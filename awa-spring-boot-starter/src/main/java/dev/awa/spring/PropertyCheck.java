package dev.awa.spring;

import dev.awa.core.AwaException;
import dev.awa.core.InvalidConfigException;
import dev.awa.core.InvalidJobException;
import dev.awa.maintenance.InvalidMaintenanceConfigException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies one property to an awa-core or awa-maintenance builder and turns the builder's typed
 * exception into an {@link AwaPropertyException} naming the property. The limits stay where they
 * are defined (the builders); this class only names them in Boot's terms.
 */
final class PropertyCheck {
  private PropertyCheck() {}

  /** Runs {@code apply} (a builder call); a rejection names {@code property}. */
  static void apply(String property, Runnable apply) {
    get(
        property,
        Map.of(),
        () -> {
          apply.run();
          return null;
        });
  }

  /**
   * Runs {@code build}; a rejection of builder field {@code f} names {@code fields.get(f)} when
   * mapped, else {@code property}.
   */
  static <T> T get(String property, Map<String, String> fields, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidConfigException e) {
      throw rejected(property, fields, e.field(), e);
    } catch (InvalidMaintenanceConfigException e) {
      throw rejected(property, fields, e.field(), e);
    } catch (InvalidJobException e) {
      throw rejected(property, fields, e.field(), e);
    }
  }

  private static AwaPropertyException rejected(
      String property, Map<String, String> fields, String field, AwaException e) {
    String message = e.getMessage();
    String prefix = field + ": ";
    String reason = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    AwaPropertyException ex =
        new AwaPropertyException(fields.getOrDefault(field, property), reason);
    ex.initCause(e);
    return ex;
  }
}
