package io.github.ntk4j.internal;

import io.github.ntk4j.Matrix;
import java.util.Objects;

/**
 * Lets the library's internals read and build {@link Matrix} values without copying. Not part of the
 * public API (this package is not exported).
 */
public final class MatrixBridge {
  /** Access to a matrix's backing array. */
  public interface Access {
    /** A matrix that takes ownership of {@code rowMajor} (the caller must not keep it). */
    Matrix wrap(int rows, int cols, double[] rowMajor);

    /** The backing array; callers must never modify it. */
    double[] data(Matrix m);

    /** Whether every entry of {@code m} is already known to be finite. */
    boolean knownFinite(Matrix m);

    /** Records that every entry of {@code m} is finite (the caller has checked). */
    void markFinite(Matrix m);
  }

  private static volatile Access access;

  private MatrixBridge() {}

  /** Called once by {@link Matrix}'s static initializer. */
  public static void install(Access a) {
    if (access != null) {
      throw new IllegalStateException("MatrixBridge already installed");
    }
    access = Objects.requireNonNull(a);
  }

  private static Access access() {
    Access a = access;
    if (a == null) {
      // Force Matrix's static initializer, which installs the bridge.
      try {
        Class.forName(Matrix.class.getName(), true, Matrix.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      a = access;
    }
    return a;
  }

  /** A matrix owning {@code rowMajor}. */
  public static Matrix wrap(int rows, int cols, double[] rowMajor) {
    if ((long) rows * cols != rowMajor.length) {
      throw new IllegalArgumentException("size mismatch " + rows + "x" + cols);
    }
    return access().wrap(rows, cols, rowMajor);
  }

  /** The backing array of {@code m}; read only. */
  public static double[] data(Matrix m) {
    return access().data(m);
  }

  /**
   * Throws {@link IllegalArgumentException} "NAME: row R, column C is V; REQUIREMENT" for the first
   * entry of {@code m} that is NaN or infinite.
   */
  public static void requireFinite(Matrix m, String name, String requirement) {
    Access access = access();
    if (access.knownFinite(m)) {
      return;
    }
    double[] a = access.data(m);
    int i = firstNonFinite(a);
    if (i >= 0) {
      throw new IllegalArgumentException(
          name + ": row " + (i / m.cols()) + ", column " + (i % m.cols()) + " is " + a[i] + "; " + requirement);
    }
    access.markFinite(m);
  }

  /** Entries checked per call of {@link #maxAbs}: about one row of a typical input. */
  private static final int CHECK_BLOCK = 1 << 10;

  /**
   * The first index of {@code a} holding NaN or an infinity, or −1. Each block is first checked by
   * {@link #maxAbs} (NaN and infinities carry through the maximum), the loop that {@link ScaledRows}
   * runs over every row too: one method for the JIT to compile instead of two.
   */
  public static int firstNonFinite(double[] a) {
    for (int start = 0; start < a.length; start += CHECK_BLOCK) {
      int end = Math.min(a.length, start + CHECK_BLOCK);
      if (!(maxAbs(a, start, end - start) <= Double.MAX_VALUE)) {
        for (int k = start; k < end; k++) {
          if (!Double.isFinite(a[k])) {
            return k;
          }
        }
      }
    }
    return -1;
  }

  /**
   * The largest magnitude in x[at, at + len): NaN if one of them is NaN, +∞ if one is infinite. A
   * small method called block by block (or row by row): on a cold JVM the JIT compiles it within the
   * first calls, where one long loop ran interpreted until its caller was compiled on stack
   * replacement.
   */
  public static double maxAbs(double[] x, int at, int len) {
    double m = 0;
    for (int k = 0; k < len; k++) {
      m = Math.max(m, Math.abs(x[at + k]));
    }
    return m;
  }

  /**
   * A matrix owning {@code rowMajor}, whose entries the caller has checked to be finite: a later
   * {@link #requireFinite} on it returns at once.
   */
  public static Matrix wrapFinite(int rows, int cols, double[] rowMajor) {
    Matrix m = wrap(rows, cols, rowMajor);
    access().markFinite(m);
    return m;
  }

  /**
   * Checks two kernel input sets: the same number of columns ({@code x2} may be null) and finite
   * values, with messages that name the set, row and column.
   */
  public static void requireKernelInputs(Matrix x1, Matrix x2) {
    Objects.requireNonNull(x1, "x1");
    if (x2 != null && x2.cols() != x1.cols()) {
      throw new IllegalArgumentException(
          "x2: has " + x2.cols() + " columns but x1 has " + x1.cols() + "; both sets need the same input dimension");
    }
    requireFinite(x1, "x1", "inputs must be finite numbers");
    if (x2 != null) {
      requireFinite(x2, "x2", "inputs must be finite numbers");
    }
  }
}
