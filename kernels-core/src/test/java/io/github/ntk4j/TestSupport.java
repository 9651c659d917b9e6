package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;
import org.junit.jupiter.api.function.Executable;

/** Small helpers shared by the core tests. */
public final class TestSupport {
  private TestSupport() {}

  /** Both kernels with the given options. */
  public static KernelResult both(Layer arch, Matrix x1, Matrix x2, ComputeOptions o) {
    return Kernels.compute(arch, x1, x2, EnumSet.allOf(KernelKind.class), o);
  }

  /** Both kernels with default options. */
  public static KernelResult both(Layer arch, Matrix x1, Matrix x2) {
    return both(arch, x1, x2, ComputeOptions.defaults());
  }

  /**
   * The largest entrywise error |a − e| / (|e| + floor·max|e|): relative error, with a floor so that
   * entries that are zero up to rounding do not divide by zero.
   */
  public static double maxRelativeError(Matrix actual, Matrix expected, double floor) {
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
      throw new AssertionError("shape " + actual.rows() + "x" + actual.cols() + " != " + expected.rows() + "x" + expected.cols());
    }
    double scale = expected.maxAbs();
    double worst = 0;
    for (int i = 0; i < actual.rows(); i++) {
      for (int j = 0; j < actual.cols(); j++) {
        double e = expected.get(i, j);
        double a = actual.get(i, j);
        double err = Math.abs(a - e) / (Math.abs(e) + floor * scale + Double.MIN_NORMAL);
        if (!(err <= worst)) {
          worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
        }
      }
    }
    return worst;
  }

  /** Whether the matrix is symmetric positive semidefinite: Cholesky of K + jitter·max|diag|·I succeeds. */
  public static boolean choleskySucceeds(Matrix k, double jitter) {
    int n = k.rows();
    double maxDiag = 0;
    for (int i = 0; i < n; i++) {
      maxDiag = Math.max(maxDiag, k.get(i, i));
    }
    double[] a = k.toRowMajorArray();
    for (int i = 0; i < n; i++) {
      a[i * n + i] += jitter * maxDiag + Double.MIN_NORMAL;
    }
    for (int j = 0; j < n; j++) {
      double s = a[j * n + j];
      for (int p = 0; p < j; p++) {
        s -= a[j * n + p] * a[j * n + p];
      }
      if (!(s > 0)) {
        return false;
      }
      double l = Math.sqrt(s);
      a[j * n + j] = l;
      for (int i = j + 1; i < n; i++) {
        double t = a[i * n + j];
        for (int p = 0; p < j; p++) {
          t -= a[i * n + p] * a[j * n + p];
        }
        a[i * n + j] = t / l;
      }
    }
    return true;
  }

  /** Asserts that the call throws an IllegalArgumentException whose message contains the fragment. */
  public static void assertMessage(Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }
}
