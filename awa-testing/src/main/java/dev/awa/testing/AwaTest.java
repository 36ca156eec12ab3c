package dev.awa.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against a real PostgreSQL: the class gets one fresh database
 * (migrated unless {@code migrate = false}), injected wherever a {@link TestDatabase} parameter
 * appears, and dropped after the class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(AwaTestDatabaseExtension.class)
public @interface AwaTest {
  /** Whether to apply the Awa schema before the first test. */
  boolean migrate() default true;
}
