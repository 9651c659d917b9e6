package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed-form kernels against finite-width networks ({@link FiniteNetwork}: an independent
 * route of sampled weights, a forward pass and exact gradients by backpropagation). The per-network estimates fluctuate like
 * width^(−1/2) and carry a bias of order 1/width, so the error at width 4096 must be well below the
 * error at width 256 (about a quarter), and small in absolute terms.
 */
class FiniteWidthConvergenceTest {
  private static final double[][] X = {
    {1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}, {0.0, 0.0, 0.0}, {2.0, -4.0, 1.0}, {0.7, 0.1, 0.4}
  };

  /**
   * Errors of {@code seeds} networks against the closed forms (sampled in parallel, combined in seed
   * order, so the result is deterministic): {NNGP, NTK} relative Frobenius error of the average
   * kernel, then {NNGP, NTK} root mean square of the per-network relative errors.
   */
  static double[] errors(Layer arch, int width, int seeds, long seed0) {
    Matrix[] exact = {Kernels.nngp(arch, Matrix.of(X), null), Kernels.ntk(arch, Matrix.of(X), null)};
    Matrix[][] all =
        java.util.stream.IntStream.range(0, seeds)
            .parallel()
            .mapToObj(s -> {
              FiniteNetwork net = FiniteNetwork.sample(arch, X[0].length, width, width, seed0 + s);
              return new Matrix[] {net.empiricalNngp(Matrix.of(X), null), net.empiricalNtk(Matrix.of(X), null, 0)};
            })
            .toArray(Matrix[][]::new);
    double[] out = new double[4];
    for (int m = 0; m < 2; m++) {
      double[] e = exact[m].toRowMajorArray();
      double[] mean = new double[e.length];
      double den = 0;
      for (double v : e) {
        den += v * v;
      }
      double sumSquares = 0;
      for (Matrix[] k : all) {
        double[] v = k[m].toRowMajorArray();
        double num = 0;
        for (int i = 0; i < e.length; i++) {
          mean[i] += v[i] / seeds;
          num += (v[i] - e[i]) * (v[i] - e[i]);
        }
        sumSquares += num / den;
      }
      double num = 0;
      for (int i = 0; i < e.length; i++) {
        num += (mean[i] - e[i]) * (mean[i] - e[i]);
      }
      out[m] = Math.sqrt(num / den);
      out[2 + m] = Math.sqrt(sumSquares / seeds);
    }
    return out;
  }

  /**
   * Three standard deviations of the per-network estimate: each Dense layer's empirical kernel
   * (1/N)·Σ z·z' has relative fluctuations of about √(2/N), compounding over the L Dense layers, and
   * averaging S networks divides the variance by S: 3·√(2L/(N·S)).
   */
  static double tolerance(String spec, int width, int networks) {
    int dense = spec.split("dense\\(", -1).length - 1;
    return 3 * Math.sqrt(2.0 * dense / ((double) width * networks));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), relu(), dense(0.8, 0.5))",
        "serial(dense(1.3, 0.2), erf(), dense(1.0, 0.1))",
        "serial(dense(1.5, 0.1), abrelu(-0.4, 1.2), dense(0.9, 0), erf(0.8, 1.3, 0.2), dense(1.2, 0.3))",
        "serial(dense(1.2), dense(1.1, 0.4), relu(), dense(1.0, 0.1))"
      })
  void finiteNetworksConvergeToTheClosedForms(String spec) {
    Layer arch = Architectures.parse(spec);
    // Eight networks per width; fixed seeds make the test deterministic.
    double[] small = errors(arch, 256, 8, 1000);
    double[] large = errors(arch, 4096, 8, 2000);
    double tol = tolerance(spec, 4096, 8);
    String msg = String.format(
        "%s: per-network rms error NNGP %.4f -> %.4f, NTK %.4f -> %.4f (width 256 -> 4096);"
            + " error of the 8-network mean at 4096: NNGP %.4f, NTK %.4f (tolerance %.4f)",
        spec, small[2], large[2], small[3], large[3], large[0], large[1], tol);
    System.out.println(msg);
    // 16 times the width: per-network errors shrink about 4-fold (width^(-1/2)); require 2-fold.
    assertTrue(large[2] < 0.5 * small[2] && large[3] < 0.5 * small[3], msg);
    // The average of the networks converges to the closed form itself (no bias beyond the noise).
    assertTrue(large[0] < tol && large[1] < tol, msg);
  }

  @Test
  void standardParameterizationMatchesItsFiniteNetwork() {
    // The standard-parameterization NTK depends on the widths, so the analytic kernel is taken at
    // the width of the sampled network itself.
    for (int width : new int[] {512, 2048}) {
      String spec = "serial(dense(1.4, 0.3, parameterization=standard, width=" + width
          + "), relu(), dense(0.8, 0.5, parameterization=standard, width=" + width + "))";
      double[] err = errors(Architectures.parse(spec), width, 8, 3000);
      double tol = tolerance(spec, width, 8);
      assertTrue(err[1] < tol, "width " + width + ": NTK error " + err[1] + " tolerance " + tol);
      assertTrue(err[0] < tol, "width " + width + ": NNGP error " + err[0] + " tolerance " + tol);
    }
  }
}
