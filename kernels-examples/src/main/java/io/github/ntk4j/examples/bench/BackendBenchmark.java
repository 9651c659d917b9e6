package io.github.ntk4j.examples.bench;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;
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
 * CPU backend against OpenCL backend: the depth-3 ReLU NTK K(X, X) of n Gaussian rows of d = 784,
 * and the input Gram product alone ({@code gram}: one Dense layer), whose rate in GFLOP/s is
 * n(n + 1)·d / time.
 *
 * <pre>
 * mvn -B -ntp -DskipTests package
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main BackendBenchmark
 * </pre>
 *
 * The OpenCL backend runs on the device {@code ntk4j info} names (PoCL's CPU device where no GPU is
 * installed); its program is built before the first measured call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class BackendBenchmark {
  @Param({"2000", "8000"})
  public int n;

  @Param({"CPU", "OPENCL"})
  public String backend;

  @Param({"relu3", "gram"})
  public String arch;

  private Matrix x;
  private Layer layer;
  private ComputeOptions options;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    int d = 784;
    double[] v = new double[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    x = Matrix.ofRowMajor(n, d, v);
    layer = Architectures.parse(arch.equals("gram") ? "dense(1, 0)"
        : "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    options = ComputeOptions.defaults().withBackend(Backend.valueOf(backend));
    Kernels.compute(layer, Matrix.ofRowMajor(4, d, new double[4 * d]), null, EnumSet.of(KernelKind.NTK), options);
  }

  /** The NTK (its chain carries the NNGP along). */
  @Benchmark
  public Matrix ntk() {
    return Kernels.compute(layer, x, null, EnumSet.of(KernelKind.NTK), options).ntk();
  }
}
