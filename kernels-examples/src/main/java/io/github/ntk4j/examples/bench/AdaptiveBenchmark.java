package io.github.ntk4j.examples.bench;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.adaptive.AdaptiveLimit;
import io.github.ntk4j.adaptive.Optimizer;
import io.github.ntk4j.adaptive.SignKernel;
import io.github.ntk4j.adaptive.SimulationOptions;
import io.github.ntk4j.adaptive.Trajectory;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
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
 * The adaptive limits: the Monte Carlo simulator (Adam, full batch, n training and 100 test points,
 * d = 10, two hidden ReLU layers, 200 steps, S × S samples per group, 4 replicates, everything from
 * the layer kernels on) and the SignSGD kernel of n × n points of dimension 784.
 *
 * <pre>
 * java -cp kernels-examples/target/ntk4j.jar org.openjdk.jmh.Main AdaptiveBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class AdaptiveBenchmark {
  @Param({"100"})
  public int n;

  @Param({"256"})
  public int samples;

  private static final Layer NET =
      Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.4, 0.1), relu(), dense(1.0, 0.3))");
  private Matrix x;
  private Matrix y;
  private Matrix tx;
  private Matrix big;


  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(7);
    x = Generators.standardNormal(r, n, 10);
    y = Generators.standardNormal(r, n, 1);
    tx = Generators.standardNormal(r, 100, 10);
    big = Generators.standardNormal(r, 2000, 784);
  }

  @Benchmark
  public Trajectory adam200Steps() {
    AdaptiveLimit lim = AdaptiveLimit.of(NET, x, y, tx, null);
    return lim.simulate(
        Optimizer.adam(0.2, 0.9, 0.99, 1e-4),
        SimulationOptions.defaults(200).withSamples(samples).withReplicates(4).withSeed(1));
  }

  @Benchmark
  public Matrix signKernel2000() {
    return SignKernel.compute(NET, big, null, ComputeOptions.defaults(), ProgressListener.none());
  }
}
