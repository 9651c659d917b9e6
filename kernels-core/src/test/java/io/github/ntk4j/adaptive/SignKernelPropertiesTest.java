package io.github.ntk4j.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Erf;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Relu;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The structural properties of shared/math/adaptive-limits.md §4.5 on generated MLPs and inputs. */
class SignKernelPropertiesTest {
  static LongStream seeds() {
    return LongStream.range(0, 25);
  }

  /** A random MLP with relu/abrelu/erf(a, b, 0) activations, optionally without biases and erf. */
  static Layer mlp(SplittableRandom r, boolean biasless) {
    int hidden = r.nextInt(4);
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l <= hidden; l++) {
      layers.add(new Dense(0.5 + r.nextDouble() * 1.5, biasless ? 0 : r.nextDouble() * 0.5));
      if (l < hidden) {
        int kind = r.nextInt(biasless ? 2 : 3);
        layers.add(kind == 0 ? new Relu() : kind == 1 ? new AbRelu(r.nextDouble() * 2 - 1, r.nextDouble() * 2 - 1)
            : new Erf(0.5 + r.nextDouble(), 0.5 + r.nextDouble(), 0));
      }
    }
    return new Serial(layers);
  }

  static Matrix points(SplittableRandom r, int n, int d) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return Matrix.of(x);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aRectangularBlockIsTheBlockOfTheKernelOnTheUnionAndTheDiagonalIsNonNegative(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = mlp(r, false);
    int d = 1 + r.nextInt(5);
    Matrix a = points(r, 4, d);
    Matrix b = points(r, 3, d);
    double[][] all = new double[7][];
    for (int i = 0; i < 4; i++) {
      all[i] = a.row(i);
    }
    for (int i = 0; i < 3; i++) {
      all[4 + i] = b.row(i);
    }
    Matrix full = SignKernel.compute(net, Matrix.of(all), null);
    Matrix block = SignKernel.compute(net, a, b);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(full.get(i, 4 + j), block.get(i, j), 1e-13 * (1 + Math.abs(block.get(i, j))), "seed " + seed + " " + net);
      }
    }
    for (int i = 0; i < 7; i++) {
      assertTrue(full.get(i, i) >= 0, "seed " + seed + ": diagonal " + full.get(i, i) + " of " + net);
    }
    Matrix oneThread = SignKernel.compute(net, Matrix.of(all), null, ComputeOptions.defaults().withThreads(1).withTileSize(16), ProgressListener.none());
    assertEquals(full, oneThread, "seed " + seed + ": thread count or tile size changed the result");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void biaslessPiecewiseLinearNetsScaleWithTheMovingPointAndIgnoreTheSteppedPointsScale(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = mlp(r, true);
    int d = 1 + r.nextInt(5);
    Matrix x = points(r, 3, d);
    double c = 0.1 + r.nextDouble() * 5;
    double[][] scaled = new double[3][];
    for (int i = 0; i < 3; i++) {
      scaled[i] = x.row(i).clone();
      for (int k = 0; k < d; k++) {
        scaled[i][k] *= c;
      }
    }
    Matrix k = SignKernel.compute(net, x, x);
    Matrix rows = SignKernel.compute(net, Matrix.of(scaled), x);
    Matrix cols = SignKernel.compute(net, x, Matrix.of(scaled));
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double tol = 1e-12 * (1 + Math.abs(k.get(i, j))) * (1 + c);
        assertEquals(c * k.get(i, j), rows.get(i, j), tol, "seed " + seed + " " + net);
        assertEquals(k.get(i, j), cols.get(i, j), tol, "seed " + seed + " " + net);
      }
    }
  }
}
