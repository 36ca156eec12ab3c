package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.awa.core.JobContext;
import dev.awa.core.JobResult;
import dev.awa.core.NewJob;
import dev.awa.core.Worker;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@AwaTest
class WorkerBeansTest {
  private final TestDatabase db;

  WorkerBeansTest(TestDatabase db) {
    this.db = db;
  }

  /** Args whose JSON uses snake_case: only the application's mapper reads them. */
  record Greeting(String firstName, int times) {}

  /** Records what each worker saw, by kind. */
  static final class Seen {
    final Map<String, Object> byKind = new ConcurrentHashMap<>();
  }

  @AwaWorker(kind = "class_worker", queue = "alpha")
  static final class ClassWorker implements Worker {
    private final Seen seen;

    ClassWorker(Seen seen) {
      this.seen = seen;
    }

    @Override
    public JobResult perform(JobContext ctx) {
      seen.byKind.put("class_worker", ctx.id());
      return JobResult.completed();
    }
  }

  static final class MethodWorkers {
    private final Seen seen;

    MethodWorkers(Seen seen) {
      this.seen = seen;
    }

    @AwaWorker(kind = "typed_method", queue = "beta")
    void greet(Greeting greeting, JobContext ctx) {
      seen.byKind.put("typed_method", greeting);
    }

    @AwaWorker(kind = "context_only")
    JobResult contextOnly(JobContext ctx) {
      seen.byKind.put("context_only", ctx.kind());
      return JobResult.completed();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Workers {
    @Bean
    Seen seen() {
      return new Seen();
    }

    @Bean
    ObjectMapper objectMapper() {
      return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    @Bean
    ClassWorker classWorker(Seen seen) {
      return new ClassWorker(seen);
    }

    @Bean
    MethodWorkers methodWorkers(Seen seen) {
      return new MethodWorkers(seen);
    }

    @Bean
    WorkerRegistration registered(Seen seen) {
      return WorkerRegistration.of(
          "registered",
          "gamma",
          Worker.typed(
              Greeting.class,
              (g, ctx) -> {
                seen.byKind.put("registered", g);
                return JobResult.completed();
              }));
    }
  }

  @Test
  void annotatedBeansMethodsAndRegistrationsWorkTheirKinds() {
    Contexts.runner(db)
        .withUserConfiguration(Workers.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(RuntimeLayout.class).queues())
                  .extracting(q -> q.name())
                  .containsExactlyInAnyOrder("alpha", "beta", "default", "gamma");
              AwaEnqueuer awa = ctx.getBean(AwaEnqueuer.class);
              long classJob =
                  awa.enqueue(NewJob.builder("class_worker").queue("alpha").build()).id();
              awa.enqueue(
                  NewJob.builder("typed_method")
                      .queue("beta")
                      .argsJson("{\"first_name\":\"Ada\",\"times\":2}")
                      .build());
              awa.enqueue(NewJob.builder("context_only").build());
              awa.enqueue(
                  NewJob.builder("registered")
                      .queue("gamma")
                      .args(new Greeting("Grace", 3))
                      .build());
              Seen seen = ctx.getBean(Seen.class);
              await().atMost(Duration.ofSeconds(20)).until(() -> seen.byKind.size() == 4);
              assertThat(seen.byKind)
                  .containsEntry("class_worker", classJob)
                  .containsEntry("typed_method", new Greeting("Ada", 2))
                  .containsEntry("context_only", "context_only")
                  .containsEntry("registered", new Greeting("Grace", 3));
              // The client wrote the args with the application's mapper too.
              assertThat(
                      db.queryStrings(
                          "SELECT args->>'first_name' FROM awa.jobs WHERE kind = 'registered'"))
                  .containsExactly("Grace");
              await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs("completed") == 4);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoWorkersOneKind {
    @Bean
    WorkerRegistration first() {
      return WorkerRegistration.of("same", ctx -> JobResult.completed());
    }

    @Bean
    WorkerRegistration second() {
      return WorkerRegistration.of("same", ctx -> JobResult.completed());
    }
  }

  @Test
  void aKindDeclaredTwiceFailsStartUpNamingBoth() {
    Contexts.runner(db)
        .withUserConfiguration(TwoWorkersOneKind.class)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              assertThat(ctx.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(AwaPropertyException.class)
                  .hasMessageContaining("'same'")
                  .hasMessageContaining("bean 'first'")
                  .hasMessageContaining("bean 'second'");
            });
  }

  @AwaWorker(kind = "not_a_worker")
  static final class NotAWorker {}

  @Test
  void anAnnotatedClassThatIsNoWorkerFailsStartUp() {
    Contexts.runner(db)
        .withBean(NotAWorker.class)
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(AwaPropertyException.class)
                    .hasMessageContaining("does not implement dev.awa.core.Worker"));
  }

  @Test
  void anUnknownKindFollowsTheUnknownKindPolicy() {
    Contexts.runner(db)
        .withPropertyValues("awa.runtime.unknown-kinds=fail")
        .run(
            ctx -> {
              long id =
                  ctx.getBean(AwaEnqueuer.class).enqueue(NewJob.builder("nobody").build()).id();
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(
                      () ->
                          Set.of("failed")
                              .contains(
                                  db.queryStrings("SELECT state FROM awa.jobs WHERE id = ?", id)
                                      .get(0)));
            });
  }

  /** Flips once every singleton of the context exists (Spring calls it before lifecycles start). */
  static final class AllSingletons implements SmartInitializingSingleton {
    volatile boolean instantiated;

    @Override
    public void afterSingletonsInstantiated() {
      instantiated = true;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class EarlyJobWorker {
    @Bean
    AllSingletons allSingletons() {
      return new AllSingletons();
    }

    @Bean
    Seen seen() {
      return new Seen();
    }

    @Bean
    WorkerRegistration early(AllSingletons all, Seen seen) {
      return WorkerRegistration.of(
          "early",
          ctx -> {
            seen.byKind.put("early", all.instantiated);
            return JobResult.completed();
          });
    }
  }

  @Test
  void aJobWaitingBeforeStartRunsOnlyOnceEveryBeanIsReady() {
    // Enqueued before the context exists: the runtime would claim it at once if it started early.
    dev.awa.core.AwaClient.create(db.dataSource()).enqueue(NewJob.builder("early").build());
    Contexts.runner(db)
        .withUserConfiguration(EarlyJobWorker.class)
        .run(
            ctx -> {
              Seen seen = ctx.getBean(Seen.class);
              await().atMost(Duration.ofSeconds(20)).until(() -> seen.byKind.containsKey("early"));
              assertThat(seen.byKind).containsEntry("early", true);
            });
  }
}
