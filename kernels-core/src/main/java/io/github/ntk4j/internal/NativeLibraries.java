package io.github.ntk4j.internal;

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
   * @param what the library's name, for DEBUG lines
   */
  static <T> T load(String what, String disable, String julLogger, Supplier<T> loader) {
    if (Boolean.getBoolean(disable)) {
      return null;
    }
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(julLogger);
    java.util.logging.Level old = jul.getLevel();
    jul.setLevel(java.util.logging.Level.OFF);
    try {
      T instance = loader.get();
      LOG.debug("native {}: {}", what, instance.getClass().getName());
      return instance;
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("no native {} ({}); the pure-Java route is used", what, e.toString());
      return null;
    } finally {
      jul.setLevel(old);
    }
  }
}
