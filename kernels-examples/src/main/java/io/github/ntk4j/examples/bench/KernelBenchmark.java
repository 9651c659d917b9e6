package io.github.ntk4j.examples.bench;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
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
 * Time of one symmetric kernel K(X, X) on the CPU backend, X of n Gaussian rows of dimension d.
 *
 * <pre>
 * mvn -B -ntp -DskipTests package
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main KernelBenchmark -p n=4000
 * </pre>
 *
 * The {@code gram} architecture (one Dense layer) times the input Gram product alone; {@code relu3}
 * adds a depth-3 ReLU chain.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class KernelBenchmark {
  @Param({"1000", "4000"})
  public int n;

  @Param({"784"})
  public int d;

  @Param({"relu3", "erf3", "gram"})
  public String arch;

  @Param({"FLOAT64", "FLOAT32"})
  public String precision;

  private Matrix x;
  private Layer layer;
  private ComputeOptions options;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    double[] v = new double[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    x = Matrix.ofRowMajor(n, d, v);
    String spec =
        switch (arch) {
          case "relu3" -> "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))";
          case "erf3" -> "serial(dense(1.5, 0.05), erf(), dense(1.5, 0.05), erf(), dense(1.5, 0.05), erf(), dense(1.5, 0.05))";
          case "gram" -> "dense(1)";
          default -> throw new IllegalArgumentException(arch);
        };
    layer = Architectures.parse(spec);
    options = ComputeOptions.defaults().withBackend(Backend.CPU).withPrecision(Precision.valueOf(precision));
  }

  /** NNGP and NTK together (the NTK needs the NNGP chain anyway). */
  @Benchmark
  public KernelResult ntk() {
    return Kernels.compute(layer, x, null, EnumSet.of(KernelKind.NTK), options);
  }
}
