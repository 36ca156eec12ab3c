package dev.awa.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test class its own migrated database and injects it as a {@link
 * TestDatabase} parameter (constructor, lifecycle or test method). Use it through {@link AwaTest}.
 *
 * <p>awa-testing does not depend on awa-core (core's own tests use this module), so the schema is
 * applied by calling {@code dev.awa.core.Migrations.migrate(DataSource)} reflectively; a test class
 * that wants an unmigrated database sets {@link AwaTest#migrate()} to false.
 */
public final class AwaTestDatabaseExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(AwaTestDatabaseExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    database(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestDatabase db = context.getStore(NS).remove("db", TestDatabase.class);
    if (db != null) {
      db.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return database(e);
  }

  private static TestDatabase database(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    Class<?> testClass = classContext.getRequiredTestClass();
    return classContext
        .getStore(NS)
        .getOrComputeIfAbsent(
            "db",
            k -> {
              TestDatabase db = TestDatabaseServer.get().createDatabase(testClass.getSimpleName());
              AwaTest annotation = testClass.getAnnotation(AwaTest.class);
              if (annotation == null || annotation.migrate()) {
                migrate(db.dataSource());
              }
              return db;
            },
            TestDatabase.class);
  }

  /** Applies the Awa schema through awa-core's {@code Migrations}, found reflectively. */
  public static void migrate(DataSource dataSource) {
    try {
      Class<?> migrations = Class.forName("dev.awa.core.Migrations");
      Method migrate = migrations.getMethod("migrate", DataSource.class);
      migrate.invoke(null, dataSource);
    } catch (ClassNotFoundException e) {
      throw new ParameterResolutionException(
          "awa-core is not on the test classpath, so the schema cannot be applied", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("migration failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("dev.awa.core.Migrations.migrate(DataSource) not usable", e);
    }
  }
}
