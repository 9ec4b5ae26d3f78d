package dev.tokenscope.openai.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dynamic proxy of one SDK interface that forwards every method it does not handle to the
 * delegate, so new SDK methods keep working. Default methods (the SDK's convenience overloads) run
 * on the proxy, so that they reach the overload this proxy instruments.
 *
 * <p>What to do with each method is worked out once, on its first call: the request path compares
 * no names or parameter types.
 */
abstract class DelegatingHandler<T> implements InvocationHandler {

  /** Returned by {@link #handle} for a call it leaves to the delegate after all. */
  static final Object UNHANDLED = new Object();

  private static final Object[] NO_ARGS = new Object[0];
  private static final int FORWARD = -1;
  private static final int RUN_DEFAULT = -2;

  /** A method this proxy handles: its name and parameter types. */
  record Signature(String name, List<Class<?>> parameterTypes) {
    Signature(String name, Class<?>... parameterTypes) {
      this(name, List.of(parameterTypes));
    }

    boolean matches(Method method) {
      return method.getName().equals(name)
          && Arrays.asList(method.getParameterTypes()).equals(parameterTypes);
    }
  }

  final T delegate;
  private final Class<T> type;
  private final List<Signature> handled = new ArrayList<>();
  private final ConcurrentHashMap<Method, Integer> plans = new ConcurrentHashMap<>();

  DelegatingHandler(T delegate, Class<T> type, Signature... handled) {
    this.delegate = delegate;
    this.type = type;
    this.handled.addAll(Arrays.asList(handled));
  }

  /** Handles {@code signature} too; returns the number {@link #handle} gets for it. */
  final int handles(Signature signature) {
    handled.add(signature);
    return handled.size() - 1;
  }

  final T proxy() {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, this));
  }

  /**
   * Handles a call of the method that matches the {@code handled}-th signature, or returns {@link
   * #UNHANDLED} to leave it to the delegate.
   */
  abstract Object handle(int handled, Method method, Object[] args) throws Throwable;

  @Override
  public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object[] arguments = args == null ? NO_ARGS : args;
    Integer plan = plans.get(method);
    if (plan == null) {
      plan = plan(method);
      plans.put(method, plan);
    }
    if (plan >= 0) {
      Object result = handle(plan, method, arguments);
      if (result != UNHANDLED) {
        return result;
      }
      plan = method.isDefault() ? RUN_DEFAULT : FORWARD;
    }
    if (plan == RUN_DEFAULT) {
      return InvocationHandler.invokeDefault(proxy, method, arguments);
    }
    if (method.getDeclaringClass() == Object.class) {
      return objectMethod(proxy, method, arguments);
    }
    return forward(method, arguments);
  }

  private int plan(Method method) {
    if (method.getDeclaringClass() != Object.class) {
      for (int i = 0; i < handled.size(); i++) {
        if (handled.get(i).matches(method)) {
          return i;
        }
      }
    }
    return method.isDefault() ? RUN_DEFAULT : FORWARD;
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return "TokenScope(" + delegate + ")";
    }
  }

  final Object forward(Method method, Object[] args) throws Throwable {
    return call(delegate, method, args);
  }

  /** Calls {@code method} on {@code target}, throwing what it throws. */
  static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
