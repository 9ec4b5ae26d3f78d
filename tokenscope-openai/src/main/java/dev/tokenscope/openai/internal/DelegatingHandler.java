package dev.tokenscope.openai.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * A dynamic proxy of one SDK interface that forwards every method it does not handle to the
 * delegate, so new SDK methods keep working. Default methods (the SDK's convenience overloads) run
 * on the proxy, so that they reach the overload this proxy instruments.
 */
abstract class DelegatingHandler<T> implements InvocationHandler {

  /** Returned by {@link #handle} for a method it leaves to the delegate. */
  static final Object UNHANDLED = new Object();

  private static final Object[] NO_ARGS = new Object[0];

  final T delegate;
  private final Class<T> type;

  DelegatingHandler(T delegate, Class<T> type) {
    this.delegate = delegate;
    this.type = type;
  }

  final T proxy() {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, this));
  }

  /** Handles {@code method}, or returns {@link #UNHANDLED}. */
  abstract Object handle(Object proxy, Method method, Object[] args) throws Throwable;

  @Override
  public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object[] arguments = args == null ? NO_ARGS : args;
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == arguments[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return "TokenScope(" + delegate + ")";
      }
    }
    Object result = handle(proxy, method, arguments);
    if (result != UNHANDLED) {
      return result;
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, arguments);
    }
    return forward(method, arguments);
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

  /** Whether {@code method} is {@code name(parameterTypes)}. */
  static boolean is(Method method, String name, Class<?>... parameterTypes) {
    return method.getName().equals(name)
        && Arrays.equals(method.getParameterTypes(), parameterTypes);
  }
}
