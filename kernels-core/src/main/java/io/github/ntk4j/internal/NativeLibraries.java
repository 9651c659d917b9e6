package io.github.ntk4j.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads one of netlib's native instances (BLAS, LAPACK) once, or null when it cannot be loaded. */
final class NativeLibraries {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);

  private NativeLibraries() {}

  /**
   * The instance {@code loader} makes, or null when the system property {@code disable} is true or
   * the native library is missing. netlib reports a missing library as a java.util.logging warning
   * from {@code julLogger}; here that is an expected case with a fallback, so that logger is
   * silenced during the one attempt.
   *
   * <p>netlib's public entry point ({@code NativeBLAS.getInstance()}) initializes its pure-Java
   * instances too, which this library never uses: about 70 ms of class loading and verification on
   * a cold JVM, half of the load (measured on 2 cores). So the JNI class {@code jniClass} is asked
   * first, directly; {@code loader} is the fallback when that class or its {@code getInstance()}
   * cannot be reached (another netlib version), and gives the same instance otherwise.
   *
   * @param what the library's name, for DEBUG lines
   */
  static <T> T load(String what, String disable, String julLogger, String jniClass, Class<T> type, Supplier<T> loader) {
    if (Boolean.getBoolean(disable)) {
      return null;
    }
    try {
      T instance = direct(jniClass, type);
      if (instance == null) {
        instance = viaEntryPoint(julLogger, loader);
      }
      LOG.debug("native {}: {}", what, instance.getClass().getName());
      return instance;
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("no native {} ({}); the pure-Java route is used", what, e.toString());
      return null;
    }
  }

  /**
   * {@code loader.get()} with netlib's java.util.logging warnings silenced (they only start
   * java.util.logging when this fallback runs).
   */
  private static <T> T viaEntryPoint(String julLogger, Supplier<T> loader) {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(julLogger);
    java.util.logging.Level old = jul.getLevel();
    jul.setLevel(java.util.logging.Level.OFF);
    try {
      return loader.get();
    } finally {
      jul.setLevel(old);
    }
  }

  /**
   * {@code jniClass.getInstance()}, or null when this netlib has no such accessible method. A library
   * that fails to load throws, as through the public entry point (an ExceptionInInitializerError or
   * the RuntimeException netlib throws).
   */
  static <T> T direct(String jniClass, Class<T> type) {
    Method getInstance;
    try {
      getInstance = Class.forName(jniClass, false, NativeLibraries.class.getClassLoader()).getDeclaredMethod("getInstance");
      getInstance.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
    Object instance;
    try {
      instance = getInstance.invoke(null);
    } catch (InvocationTargetException e) {
      throw Causes.unchecked(e.getCause());
    } catch (IllegalAccessException e) {
      return null;
    }
    return type.isInstance(instance) ? type.cast(instance) : null;
  }
}
