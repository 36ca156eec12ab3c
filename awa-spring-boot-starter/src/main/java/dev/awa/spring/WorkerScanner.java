package dev.awa.spring;

import dev.awa.core.Worker;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the workers declared in the application context: {@link WorkerRegistration} beans, {@link
 * Worker} beans annotated with {@link AwaWorker}, and {@link AwaWorker} methods of any bean. One
 * worker per kind; a second declaration of a kind fails start-up naming both.
 */
final class WorkerScanner {
  private WorkerScanner() {}

  /** The declared workers in declaration order, keyed by kind. */
  static Map<String, WorkerRegistration> scan(ConfigurableListableBeanFactory beans) {
    Map<String, WorkerRegistration> found = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (String name : beans.getBeanNamesForType(WorkerRegistration.class, false, false)) {
      add(found, sources, beans.getBean(name, WorkerRegistration.class), "bean '" + name + "'");
    }
    for (String name : beans.getBeanDefinitionNames()) {
      if (beans.getBeanDefinition(name).isAbstract()) {
        continue;
      }
      Class<?> type = beans.getType(name, false);
      if (type == null) {
        continue;
      }
      Class<?> userClass = ClassUtils.getUserClass(type);
      AwaWorker onClass = AnnotatedElementUtils.findMergedAnnotation(userClass, AwaWorker.class);
      if (onClass != null) {
        Object bean = beans.getBean(name);
        if (!(bean instanceof Worker worker)) {
          throw new AwaPropertyException(
              "@AwaWorker " + name,
              "is on a class that does not implement dev.awa.core.Worker; implement it or"
                  + " annotate a method instead");
        }
        add(
            found,
            sources,
            WorkerRegistration.of(onClass.kind(), onClass.queue(), worker),
            "bean '" + name + "'");
      }
      Map<Method, AwaWorker> methods =
          MethodIntrospector.selectMethods(
              userClass,
              (MethodIntrospector.MetadataLookup<AwaWorker>)
                  m -> AnnotatedElementUtils.findMergedAnnotation(m, AwaWorker.class));
      for (Map.Entry<Method, AwaWorker> e : methods.entrySet()) {
        Object bean = beans.getBean(name);
        Method invocable = AopUtils.selectInvocableMethod(e.getKey(), bean.getClass());
        AwaWorker a = e.getValue();
        add(
            found,
            sources,
            WorkerRegistration.of(a.kind(), a.queue(), new MethodWorker(name, bean, invocable)),
            "method " + name + "." + e.getKey().getName());
      }
    }
    return found;
  }

  /** Worker beans that no declaration names a kind for: the caller logs them. */
  static List<String> unnamedWorkerBeans(
      ConfigurableListableBeanFactory beans, Map<String, WorkerRegistration> found) {
    List<String> unnamed = new ArrayList<>();
    for (String name : beans.getBeanNamesForType(Worker.class, false, false)) {
      Object bean = beans.getBean(name);
      boolean used = found.values().stream().anyMatch(r -> r.worker() == bean);
      if (!used) {
        unnamed.add(name);
      }
    }
    return unnamed;
  }

  private static void add(
      Map<String, WorkerRegistration> found,
      Map<String, String> sources,
      WorkerRegistration registration,
      String source) {
    String previous = sources.putIfAbsent(registration.kind(), source);
    if (previous != null) {
      throw new AwaPropertyException(
          "worker kind '" + registration.kind() + "'",
          "is declared twice, by " + previous + " and by " + source + "; one worker per kind");
    }
    found.put(registration.kind(), registration);
  }
}
