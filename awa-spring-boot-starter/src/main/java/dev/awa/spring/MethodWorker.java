package dev.awa.spring;

import dev.awa.core.JobContext;
import dev.awa.core.JobResult;
import dev.awa.core.Worker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A {@link Worker} that calls an {@link AwaWorker}-annotated bean method. The method is resolved on
 * the bean itself (a proxy, when the bean is advised), so {@code @Transactional} on the method
 * applies. Typed args go through the runtime's mapper ({@link JobContext#args(Class)}), which is
 * the application's ObjectMapper.
 */
final class MethodWorker implements Worker {
  private final Object bean;
  private final Method method;
  private final Class<?> argsType;
  private final int contextIndex;
  private final int argsIndex;

  MethodWorker(String beanName, Object bean, Method method) {
    this.bean = bean;
    this.method = method;
    Class<?>[] types = method.getParameterTypes();
    int ctx = -1;
    int args = -1;
    for (int i = 0; i < types.length; i++) {
      if (types[i] == JobContext.class) {
        ctx = ctx < 0 ? i : fail(beanName, method, "takes JobContext twice");
      } else {
        args = args < 0 ? i : fail(beanName, method, "takes more than one args parameter");
      }
    }
    this.contextIndex = ctx;
    this.argsIndex = args;
    this.argsType = args < 0 ? null : types[args];
    method.setAccessible(true);
  }

  @Override
  public JobResult perform(JobContext ctx) throws Exception {
    Object[] params = new Object[method.getParameterCount()];
    if (contextIndex >= 0) {
      params[contextIndex] = ctx;
    }
    if (argsIndex >= 0) {
      params[argsIndex] = ctx.args(argsType);
    }
    Object result;
    try {
      result = method.invoke(bean, params);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
    return result instanceof JobResult r ? r : JobResult.completed();
  }

  @Override
  public String toString() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }

  private static int fail(String beanName, Method method, String what) {
    throw new AwaPropertyException(
        "@AwaWorker " + beanName + "." + method.getName(),
        what + "; parameters may be one JobContext and one args type");
  }
}
