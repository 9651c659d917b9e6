package io.github.ntk4j.testing;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Identity checks for kernel matrices and architectures, independent of any test framework. Each
 * returns a {@link CheckResult}: passed or not, with the worst entry, its indices and the tolerance.
 *
 * <p>Entry comparisons use the relative error |a − e| / (|e| + floor·max|e|), with floor
 * {@link #FLOOR} = 10⁻¹² unless a check takes it as a parameter: relative where entries are of the
 * matrix's scale, absolute (scaled by max|e|) where they cancel to nearly zero. Compare float32
 * results with a larger floor (e.g. 10⁻³), since their absolute error is set by the largest entries.
 * Identities of shared/math/kernels.md §2.1 and §6; the Monte Carlo check follows neural-tangents'
 * practice of comparing with empirical kernels (arXiv 1912.02803).
 */
public final class KernelChecks {
  /** Default floor of the relative error, as a fraction of the largest expected entry. */
  public static final double FLOOR = 1e-12;

  private KernelChecks() {}

  /**
   * K = Kᵀ: the worst |K_ij − K_ji| relative to max|K|.
   *
   * @param k a square matrix
   * @param tolerance the largest relative asymmetry allowed
   * @return the result
   */
  public static CheckResult symmetry(Matrix k, double tolerance) {
    Objects.requireNonNull(k, "k");
    if (k.rows() != k.cols()) {
      return new CheckResult("symmetry", false, Double.POSITIVE_INFINITY, -1, -1, tolerance,
          "not square: " + k.rows() + "x" + k.cols());
    }
    double scale = k.maxAbs();
    double worst = 0;
    int wi = -1;
    int wj = -1;
    for (int i = 0; i < k.rows(); i++) {
      for (int j = i + 1; j < k.cols(); j++) {
        double e = Math.abs(k.get(i, j) - k.get(j, i)) / (scale + Double.MIN_NORMAL);
        if (!(e <= worst)) {
          worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
          wi = i;
          wj = j;
        }
      }
    }
    return new CheckResult("symmetry", worst <= tolerance, worst, wi, wj, tolerance,
        wi < 0 ? "symmetric" : String.format(Locale.ROOT, "K[%d][%d] = %s, K[%d][%d] = %s", wi, wj, k.get(wi, wj), wj, wi,
            k.get(wj, wi)));
  }

  /**
   * K(X2, X1) = K(X1, X2)ᵀ.
   *
   * @param k12 K(X1, X2)
   * @param k21 K(X2, X1)
   * @param tolerance relative tolerance
   * @return the result
   */
  public static CheckResult transposeConsistency(Matrix k12, Matrix k21, double tolerance) {
    return agreement("transpose consistency", k12, k21.transpose(), tolerance);
  }

  /**
   * K is positive semidefinite: its smallest eigenvalue is at least −tolerance·max|λ|.
   *
   * @param k a symmetric matrix
   * @param tolerance relative tolerance on negative eigenvalues (float64 kernels: about 1e-10)
   * @return the result; worstError is −λ_min/max|λ| (negative when all eigenvalues are positive)
   */
  public static CheckResult positiveSemidefinite(Matrix k, double tolerance) {
    CheckResult sym = symmetry(k, 1e-10);
    if (!sym.passed()) {
      return new CheckResult("positive semidefiniteness", false, sym.worstError(), sym.row(), sym.column(), tolerance,
          "not symmetric: " + sym.detail());
    }
    int n = k.rows();
    LinearAlgebra.Eigen e = LinearAlgebra.eigen(MatrixBridge.data(k), n, false);
    if (e == null) {
      return new CheckResult("positive semidefiniteness", false, Double.NaN, -1, -1, tolerance,
          "the eigenvalue iteration did not converge");
    }
    double min = e.values()[0];
    double top = Math.max(Math.abs(min), Math.abs(e.values()[n - 1]));
    double worst = top == 0 ? 0 : -min / top;
    return new CheckResult("positive semidefiniteness", worst <= tolerance, worst, -1, -1, tolerance,
        String.format(Locale.ROOT, "smallest eigenvalue %s, largest |eigenvalue| %s", min, top));
  }

  /**
   * Two matrices agree entry by entry (shapes included).
   *
   * @param name what is compared, for the report
   * @param expected the reference
   * @param actual the matrix under test
   * @param tolerance relative tolerance (see the class comment)
   * @return the result
   */
  public static CheckResult agreement(String name, Matrix expected, Matrix actual, double tolerance) {
    return agreement(name, expected, actual, tolerance, FLOOR);
  }

  /**
   * Two matrices agree entry by entry, with an explicit floor.
   *
   * @param name what is compared, for the report
   * @param expected the reference
   * @param actual the matrix under test
   * @param tolerance relative tolerance
   * @param floor the floor as a fraction of max|expected| (see the class comment)
   * @return the result
   */
  public static CheckResult agreement(String name, Matrix expected, Matrix actual, double tolerance, double floor) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    if (expected.rows() != actual.rows() || expected.cols() != actual.cols()) {
      return new CheckResult(name, false, Double.POSITIVE_INFINITY, -1, -1, tolerance,
          "shapes differ: " + expected.rows() + "x" + expected.cols() + " and " + actual.rows() + "x" + actual.cols());
    }
    double absolute = floor * expected.maxAbs();
    double worst = 0;
    int wi = -1;
    int wj = -1;
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double e = expected.get(i, j);
        double err = Math.abs(actual.get(i, j) - e) / (Math.abs(e) + absolute + Double.MIN_NORMAL);
        if (!(err <= worst)) {
          worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
          wi = i;
          wj = j;
        }
      }
    }
    return new CheckResult(name, worst <= tolerance, worst, wi, wj, tolerance,
        wi < 0 ? "identical" : String.format(Locale.ROOT, "expected %s, got %s", expected.get(wi, wj), actual.get(wi, wj)));
  }

  /**
   * Two architectures give the same NNGP and NTK on the same inputs (e.g. {@code relu()} and
   * {@code abrelu(0, 1)}).
   *
   * @param a one architecture
   * @param b the other
   * @param x1 inputs
   * @param x2 inputs, or null for x1
   * @param tolerance relative tolerance
   * @return the worse of the two kernels' results
   */
  public static CheckResult equivalentArchitectures(Layer a, Layer b, Matrix x1, Matrix x2, double tolerance) {
    KernelResult ka = Kernels.compute(a, x1, x2, EnumSet.allOf(KernelKind.class));
    KernelResult kb = Kernels.compute(b, x1, x2, EnumSet.allOf(KernelKind.class));
    return worse(
        agreement("NNGP of " + a + " vs " + b, ka.nngp(), kb.nngp(), tolerance),
        agreement("NTK of " + a + " vs " + b, ka.ntk(), kb.ntk(), tolerance));
  }

  /**
   * The Dense scaling law: multiplying σw and σb of the last layer (a Dense layer) by c multiplies
   * both kernels by c² (Σ' = σw²Σ + σb², Θ' = Σ' + σw²Θ).
   *
   * @param architecture an architecture whose last layer is Dense
   * @param factor c
   * @param x inputs
   * @param tolerance relative tolerance
   * @return the result
   */
  public static CheckResult denseScaling(Layer architecture, double factor, Matrix x, double tolerance) {
    List<Layer> layers = new ArrayList<>(architecture instanceof Serial s ? s.layers() : List.of(architecture));
    Layer last = layers.get(layers.size() - 1);
    if (!(last instanceof Dense d)) {
      return new CheckResult("dense scaling", false, Double.POSITIVE_INFINITY, -1, -1, tolerance,
          "the last layer of " + architecture + " is not Dense");
    }
    layers.set(layers.size() - 1, new Dense(factor * d.weightStd(), factor * d.biasStd(), d.parameterization(),
        d.width(), d.trainableBias()));
    KernelResult base = Kernels.compute(architecture, x, null, EnumSet.allOf(KernelKind.class));
    KernelResult scaled = Kernels.compute(new Serial(layers), x, null, EnumSet.allOf(KernelKind.class));
    return worse(
        agreement("NNGP scaling by " + factor + "^2", times(base.nngp(), factor * factor), scaled.nngp(), tolerance),
        agreement("NTK scaling by " + factor + "^2", times(base.ntk(), factor * factor), scaled.ntk(), tolerance));
  }

  /**
   * serial(serial(a, b), c) and serial(a, serial(b, c)) give the same kernels.
   *
   * @param a first part
   * @param b second part
   * @param c third part
   * @param x inputs
   * @param tolerance relative tolerance
   * @return the result
   */
  public static CheckResult serialAssociativity(Layer a, Layer b, Layer c, Matrix x, double tolerance) {
    return equivalentArchitectures(new Serial(List.of(new Serial(List.of(a, b)), c)),
        new Serial(List.of(a, new Serial(List.of(b, c)))), x, null, tolerance);
  }

  /**
   * Two compute configurations (backends, precisions, thread counts, tile sizes) agree.
   *
   * @param architecture the architecture
   * @param x1 inputs
   * @param x2 inputs, or null for x1
   * @param reference the reference options
   * @param other the options under test
   * @param tolerance relative tolerance (0 demands identical results)
   * @param floor the floor of the relative error (see the class comment; about 1e-3 for float32)
   * @return the result
   */
  public static CheckResult backendsAgree(
      Layer architecture, Matrix x1, Matrix x2, ComputeOptions reference, ComputeOptions other, double tolerance,
      double floor) {
    KernelResult r = Kernels.compute(architecture, x1, x2, EnumSet.allOf(KernelKind.class), reference);
    KernelResult o = Kernels.compute(architecture, x1, x2, EnumSet.allOf(KernelKind.class), other);
    return worse(agreement("NNGP, " + other + " vs " + reference, r.nngp(), o.nngp(), tolerance, floor),
        agreement("NTK, " + other + " vs " + reference, r.ntk(), o.ntk(), tolerance, floor));
  }

  /**
   * An analytic kernel agrees with a Monte Carlo estimate: |analytic − mean| ≤ sigmas·SE +
   * relativeBias·|analytic| for every entry (relativeBias covers the O(1/width) bias of finite
   * networks, e.g. 2/width).
   *
   * @param analytic the closed form
   * @param monteCarloMean the Monte Carlo mean
   * @param standardError its standard error per entry
   * @param sigmas how many standard errors are allowed (e.g. 4 or 5; many entries are tested at once)
   * @param relativeBias the allowed bias relative to the analytic value
   * @return the result; worstError is the largest |analytic − mean| / (sigmas·SE + bias) and
   *     tolerance is 1
   */
  public static CheckResult monteCarloAgreement(
      Matrix analytic, Matrix monteCarloMean, Matrix standardError, double sigmas, double relativeBias) {
    double worst = 0;
    int wi = -1;
    int wj = -1;
    double floor = 1e-12 * analytic.maxAbs() + Double.MIN_NORMAL;
    for (int i = 0; i < analytic.rows(); i++) {
      for (int j = 0; j < analytic.cols(); j++) {
        double a = analytic.get(i, j);
        double allowed = sigmas * standardError.get(i, j) + relativeBias * Math.abs(a) + floor;
        double r = Math.abs(a - monteCarloMean.get(i, j)) / allowed;
        if (!(r <= worst)) {
          worst = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
          wi = i;
          wj = j;
        }
      }
    }
    return new CheckResult("Monte Carlo agreement", worst <= 1, worst, wi, wj, 1,
        wi < 0 ? "no entries" : String.format(Locale.ROOT, "analytic %s, Monte Carlo %s ± %s", analytic.get(wi, wj),
            monteCarloMean.get(wi, wj), standardError.get(wi, wj)));
  }

  /**
   * The canonical string parses back to an equal architecture.
   *
   * @param architecture the architecture
   * @return the result
   */
  public static CheckResult stringRoundTrip(Layer architecture) {
    String s = architecture.toString();
    try {
      Layer back = Architectures.parse(s);
      boolean ok = back.equals(architecture);
      return new CheckResult("string round trip", ok, ok ? 0 : 1, -1, -1, 0,
          ok ? s : "'" + s + "' parses to " + back);
    } catch (IllegalArgumentException e) {
      return new CheckResult("string round trip", false, 1, -1, -1, 0, "'" + s + "' does not parse: " + e.getMessage());
    }
  }

  private static CheckResult worse(CheckResult a, CheckResult b) {
    if (a.passed() != b.passed()) {
      return a.passed() ? b : a;
    }
    return a.worstError() >= b.worstError() ? a : b;
  }

  private static Matrix times(Matrix m, double c) {
    double[] d = m.toRowMajorArray();
    for (int i = 0; i < d.length; i++) {
      d[i] *= c;
    }
    return Matrix.ofRowMajor(m.rows(), m.cols(), d);
  }
}
