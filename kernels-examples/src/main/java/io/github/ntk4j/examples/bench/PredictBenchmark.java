package io.github.ntk4j.examples.bench;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.PredictOptions;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of the prediction algebra alone (kernels precomputed): n training points, 10 outputs, 1,000
 * test points. {@code infinite} is one Cholesky factorization plus the solves; {@code finite} the
 * mean at t = 100 steps, by one symmetric eigendecomposition plus the products or by the Chebyshev
 * expansion (a Cholesky factorization and a few dozen products with the training kernel), as
 * {@code route} says (a fresh predictor each time, so the cached factorizations are not reused).
 *
 * <pre>
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main PredictBenchmark.infinite -p n=4000 -p route=auto
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main PredictBenchmark.finite -p n=4000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class PredictBenchmark {
  @Param({"1000", "4000"})
  public int n;

  /**
   * The finite-time route: {@code auto} lets the predictor choose (a Chebyshev expansion where it is
   * cheaper), {@code eigen} forces the eigendecomposition ({@code -Dntk4j.noChebyshev=true}).
   */
  @Param({"auto", "eigen"})
  public String route;

  private Matrix trainKernel;
  private Matrix testKernel;
  private Matrix targets;

  @Setup
  public void setUp() {
    System.setProperty("ntk4j.noChebyshev", Boolean.toString(route.equals("eigen")));
    SplittableRandom r = new SplittableRandom(7);
    double[] x = new double[(n + 1000) * 50];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    double[] train = new double[n * 50];
    System.arraycopy(x, 0, train, 0, train.length);
    double[] test = new double[1000 * 50];
    System.arraycopy(x, train.length, test, 0, test.length);
    Layer arch = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    Matrix trainX = Matrix.ofRowMajor(n, 50, train);
    trainKernel = Kernels.ntk(arch, trainX, null);
    testKernel = Kernels.ntk(arch, Matrix.ofRowMajor(1000, 50, test), trainX);
    double[] y = new double[n * 10];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextGaussian();
    }
    targets = Matrix.ofRowMajor(n, 10, y);
  }

  @Benchmark
  public Matrix infinite() {
    return KernelPredictor.of(trainKernel, targets, PredictOptions.defaults().withDiagReg(1e-4))
        .mean(testKernel, Double.POSITIVE_INFINITY);
  }

  @Benchmark
  public Matrix finite() {
    return KernelPredictor.of(trainKernel, targets, PredictOptions.defaults().withDiagReg(1e-4)).mean(testKernel, 100);
  }
}
