package io.github.ntk4j.examples.bench;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.featurelearning.AdaptiveNtk;
import io.github.ntk4j.featurelearning.AdaptiveNtkOptions;
import io.github.ntk4j.featurelearning.AnbkSamplingOptions;
import io.github.ntk4j.featurelearning.DeepLinearAnbk;
import io.github.ntk4j.featurelearning.KernelSgd;
import io.github.ntk4j.featurelearning.LinearBottleneck;
import io.github.ntk4j.featurelearning.MuPLinear;
import io.github.ntk4j.featurelearning.MuPLinearOptions;
import io.github.ntk4j.featurelearning.TwoLayerAnbk;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.testing.Generators;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The feature-learning limits at the sizes a user meets first. Small problems: P = 200 training
 * and 100 test points of dimension 64 (standard normal, targets ±1 from a sign). Large ones: P = 1000
 * of dimension 784.
 *
 * <pre>
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main FeatureLearningBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class FeatureLearningBenchmark {
  private Matrix x;
  private Matrix y;
  private Matrix tx;
  private Matrix bigX;
  private Matrix bigY;
  private int[] order;

  private static Matrix signs(Matrix x) {
    double[] s = new double[x.rows()];
    for (int i = 0; i < s.length; i++) {
      s[i] = x.get(i, 0) + 0.5 * x.get(i, 1) > 0 ? 1 : -1;
    }
    return Matrix.ofRowMajor(s.length, 1, s);
  }

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(11);
    x = Generators.standardNormal(r, 200, 64);
    y = signs(x);
    tx = Generators.standardNormal(r, 100, 64);
    bigX = Generators.standardNormal(r, 1000, 784);
    bigY = signs(bigX);
    order = new int[10 * 1000];
    for (int s = 0; s < order.length; s++) {
      order[s] = r.nextInt(1000);
    }
  }

  /** The exact deep linear aNBK, L = 3, γ = 1: the input Gram, one eigendecomposition, the root. */
  @Benchmark
  public Matrix deepLinearAnbk1000() {
    return DeepLinearAnbk.fit(bigX, bigY, 1, 1, 3).predict(bigX);
  }

  /** The two-layer erf aNBK at γ = 0.3 by importance sampling with S = 20,000 and K = 10 steps. */
  @Benchmark
  public Matrix twoLayerAnbk200() {
    AnbkSamplingOptions o = new AnbkSamplingOptions(20_000, 10, 0.3, 1e-4, 1000, 1, 200);
    return TwoLayerAnbk.fit(x, y, tx, Layers.erf(), 0.3, 1, o, ProgressListener.none()).predictions();
  }

  /** The ReLU aNTK at γ = 1: 2,000 neurons, 1,000 steps of gradient descent with weight decay. */
  @Benchmark
  public Matrix adaptiveNtk200() {
    AdaptiveNtkOptions o = new AdaptiveNtkOptions(1, 0.05, 0.01, 1000, 2000, 1, true);
    return AdaptiveNtk.train(x, y, tx, Layers.relu(), o, ProgressListener.none()).testOutputs();
  }

  /** The linear bottleneck, d = 64, 1,000 full-batch steps. */
  @Benchmark
  public Matrix linearBottleneck200() {
    return LinearBottleneck.initialize(64, 64, 2, 2, 1).train(x, y, 0.5, 1000, true).predict(tx);
  }

  /** The μP linear limit (hidden width d + 1 = 785), 10 epochs of single-example SGD. */
  @Benchmark
  public Matrix muPLinear1000() {
    return MuPLinear.limit(784, 1, MuPLinearOptions.of(1, 1, 1)).sgd(bigX, bigY, 0.02, order).predict(bigX);
  }

  /** Function-space SGD with the ReLU NTK: the 1000² kernel and 10 epochs of single-example steps. */
  @Benchmark
  public Matrix kernelSgd1000() {
    return KernelSgd.of(Architectures.parse("serial(dense(1.0, 0.05), relu(), dense(1.0, 0.05))"), KernelKind.NTK, bigX, 1)
        .sgd(bigY, 0.02, order, 0).predict(bigX);
  }
}
