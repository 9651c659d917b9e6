package io.github.ntk4j.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import org.junit.jupiter.api.Test;

/** The reference values of shared/math/adaptive-limits.md §4.6 (computed there independently). */
class SignKernelReferenceTest {
  static final Matrix X =
      Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}});
  static final Layer A =
      Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), relu(), dense(0.8, 0.5))");
  static final Layer B = Architectures.parse("serial(dense(1.3, 0.2), erf(), dense(1.0, 0.1))");

  static final double[][] REF_A = {
    {2.07345707922, 0.794792629603, 1.18505897954},
    {0.679702220564, 1.53910912469, 0.662407948815},
    {1.25951407686, 0.743859795600, 2.22256584970}
  };
  static final double[][] REF_B = {
    {1.81547300275, -0.551047544747, 0.770373310337},
    {-0.697926529002, 1.64896984165, -1.18222911627},
    {0.868068014879, -1.46408927291, 1.89714906698}
  };

  @Test
  void reluArchitectureMatchesTheTwelveDigitReferenceValues() {
    assertMatches(REF_A, SignKernel.compute(A, X, null));
  }

  @Test
  void erfArchitectureMatchesTheTwelveDigitReferenceValues() {
    assertMatches(REF_B, SignKernel.compute(B, X, null));
  }

  @Test
  void biaslessReluNetGivesTheDocumentedRankOneKernelWithZeroRowAndColumn() {
    Layer net = Architectures.parse("serial(dense(2.0), relu(), dense(1.0), relu(), dense(1.0))");
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0, 0, 0}, {2.0, -4.0, 1.0}});
    double k = 2.30750959230;
    assertMatches(new double[][] {{k, 0, k}, {0, 0, 0}, {2 * k, 0, 2 * k}}, SignKernel.compute(net, x, null));
  }

  static void assertMatches(double[][] expected, Matrix actual) {
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual.get(i, j), 2e-11 * Math.max(1, Math.abs(expected[i][j])), "[" + i + "][" + j + "]");
      }
    }
  }
}
