package io.github.ntk4j.internal;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value computed on first use, at most once even under concurrent calls (double-checked locking on
 * a volatile field). A supplier that throws leaves the value unset, so the next call tries again.
 *
 * @param <T> the value's type
 */
public final class Lazy<T> {
  private final Supplier<T> supplier;
  private volatile T value;

  private Lazy(Supplier<T> supplier) {
    this.supplier = Objects.requireNonNull(supplier, "supplier");
  }

  /** A lazy value computed by {@code supplier}, which must not return null. */
  public static <T> Lazy<T> of(Supplier<T> supplier) {
    return new Lazy<>(supplier);
  }

  /** The value, computed now if this is the first call. */
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = Objects.requireNonNull(supplier.get(), "lazy value");
          value = v;
        }
      }
    }
    return v;
  }

  /** The value if it has been computed, else null (never computes it). */
  public T peek() {
    return value;
  }
}
