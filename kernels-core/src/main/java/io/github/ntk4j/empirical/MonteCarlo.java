package io.github.ntk4j.empirical;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Monte Carlo estimates of the NNGP and the NTK from finite networks (the route neural-tangents calls
 * {@code monte_carlo_kernel_fn}; Novak et al., arXiv 1912.02803): the empirical kernels of
 * {@code networks} independently sampled {@link FiniteNetwork}s, averaged, with standard errors.
 *
 * <p>Network s is sampled with the s-th {@code long} of {@code new SplittableRandom(seed)}; networks
 * are evaluated on {@code threads} threads and summed in the order of s, so the result depends on the
 * seed only, not on the thread count. The NNGP estimate of one network averages over its
 * {@code outputs} output units; the NTK estimate is that of output unit 0.
 */
public final class MonteCarlo {
  private MonteCarlo() {}

  /**
   * Averages the empirical kernels of many networks.
   *
   * @param architecture the architecture
   * @param x1 inputs, n1×d
   * @param x2 inputs, n2×d, or null for x1
   * @param width the hidden width, ≥ 1
   * @param outputs output units per network, ≥ 1 (more units lower the NNGP's variance)
   * @param networks the number of networks, ≥ 2
   * @param seed the seed
   * @param threads worker threads, ≥ 1
   * @return the estimate
   * @throws CancellationException if the calling thread is interrupted
   */
  public static MonteCarloEstimate kernels(
      Layer architecture, Matrix x1, Matrix x2, int width, int outputs, int networks, long seed, int threads) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(x1, "x1");
    if (x2 != null && x2.cols() != x1.cols()) {
      throw new IllegalArgumentException("x2 has " + x2.cols() + " columns but x1 has " + x1.cols());
    }
    if (networks < 2) {
      throw new IllegalArgumentException("networks must be >= 2 (for a standard error), got " + networks);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    // Validates the architecture and sizes once, before any thread starts.
    FiniteNetwork.sample(architecture, x1.cols(), width, outputs, seed);
    SplittableRandom root = new SplittableRandom(seed);
    long[] seeds = new long[networks];
    for (int s = 0; s < networks; s++) {
      seeds[s] = root.nextLong();
    }
    int n1 = x1.rows();
    int n2 = x2 == null ? n1 : x2.rows();
    double[] sumK = new double[n1 * n2];
    double[] sumK2 = new double[n1 * n2];
    double[] sumT = new double[n1 * n2];
    double[] sumT2 = new double[n1 * n2];
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, networks), r -> {
      Thread t = new Thread(r, "ntk4j-monte-carlo");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<double[][]>> futures = new ArrayList<>(networks);
      for (int s = 0; s < networks; s++) {
        long networkSeed = seeds[s];
        futures.add(pool.submit(() -> {
          FiniteNetwork net = FiniteNetwork.sample(architecture, x1.cols(), width, outputs, networkSeed);
          return new double[][] {
            MatrixBridge.data(net.empiricalNngp(x1, x2)), MatrixBridge.data(net.empiricalNtk(x1, x2, 0))
          };
        }));
      }
      for (Future<double[][]> f : futures) {
        double[][] k = f.get();
        accumulate(k[0], sumK, sumK2);
        accumulate(k[1], sumT, sumT2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("Monte Carlo kernel estimate interrupted");
    } catch (ExecutionException e) {
      throw io.github.ntk4j.internal.Causes.unchecked(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new MonteCarloEstimate(
        mean(sumK, networks, n1, n2), mean(sumT, networks, n1, n2), standardError(sumK, sumK2, networks, n1, n2),
        standardError(sumT, sumT2, networks, n1, n2), networks, width);
  }

  private static void accumulate(double[] k, double[] sum, double[] sumSq) {
    for (int i = 0; i < k.length; i++) {
      sum[i] += k[i];
      sumSq[i] += k[i] * k[i];
    }
  }

  private static Matrix mean(double[] sum, int s, int n1, int n2) {
    double[] m = new double[sum.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = sum[i] / s;
    }
    return MatrixBridge.wrap(n1, n2, m);
  }

  private static Matrix standardError(double[] sum, double[] sumSq, int s, int n1, int n2) {
    double[] se = new double[sum.length];
    for (int i = 0; i < se.length; i++) {
      double mean = sum[i] / s;
      double var = Math.max(sumSq[i] - s * mean * mean, 0) / (s - 1);
      se[i] = Math.sqrt(var / s);
    }
    return MatrixBridge.wrap(n1, n2, se);
  }
}
