package io.github.ntk4j.examples;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.adaptive.AdaptiveLimit;
import io.github.ntk4j.adaptive.FiniteWidthTraining;
import io.github.ntk4j.adaptive.Optimizer;
import io.github.ntk4j.adaptive.SimulationOptions;
import io.github.ntk4j.adaptive.Trajectory;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * The larger version of the finite-width check of the Adam limit (shared/math/adaptive-limits.md
 * §7(d)): networks of growing width, trained by Adam (and AdamW) in the neural-tangent scalings, are
 * compared with the Monte Carlo limit; the deviation of their seed average shrinks with the width.
 *
 * <pre>
 * java -cp kernels-examples/target/ntk4j.jar io.github.ntk4j.examples.AdamWidthSweep [maxWidth] [seeds]
 * </pre>
 */
public final class AdamWidthSweep {
  private AdamWidthSweep() {}

  /**
   * Runs the sweep.
   *
   * @param args optional maximum width (default 4096) and number of seeds per width (default 4)
   */
  public static void main(String[] args) {
    int maxWidth = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    run(maxWidth, seeds, System.out);
  }

  static void run(int maxWidth, int seeds, PrintStream out) {
    Layer net = Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.4, 0.1), relu(), dense(1.0, 0.3))");
    SplittableRandom r = new SplittableRandom(21);
    Matrix x = Generators.standardNormal(r, 6, 4);
    Matrix y = Generators.standardNormal(r, 6, 1);
    Matrix tx = Generators.standardNormal(r, 3, 4);
    Matrix ty = Generators.standardNormal(r, 3, 1);
    AdaptiveLimit limit = AdaptiveLimit.of(net, x, y, tx, ty);
    SimulationOptions o = SimulationOptions.defaults(12).withSamples(1024).withReplicates(4).withSeed(1);
    out.println("2 hidden ReLU layers, d = 4, 6 training + 3 test points, 12 full-batch steps, centred outputs");
    out.printf("%-30s %8s %12s %12s%n", "optimizer", "width", "max |dev|", "limit SE");
    for (Optimizer opt :
        new Optimizer[] {Optimizer.adam(0.02, 0.9, 0.99, 1e-3), Optimizer.adam(0.05, 0.9, 0.99, 1e-3).withWeightDecay(0.08)}) {
      Trajectory lim = limit.simulate(opt, o);
      double se = lim.trainStandardError(12).orElseThrow().maxAbs();
      String name = opt.weightDecay() > 0 ? "AdamW eta 0.05, lambda 0.08" : "Adam eta 0.02";
      for (int width = 64; width <= maxWidth; width *= 4) {
        double[] mean = new double[9];
        for (int s = 0; s < seeds; s++) {
          Trajectory t = FiniteWidthTraining.train(FiniteNetwork.sample(net, 4, width, 1, 100 + s), x, y, tx, ty, opt, o);
          for (int i = 0; i < 6; i++) {
            mean[i] += t.train(12).get(i, 0) / seeds;
          }
          for (int i = 0; i < 3; i++) {
            mean[6 + i] += t.test(12).get(i, 0) / seeds;
          }
        }
        double dev = 0;
        for (int i = 0; i < 6; i++) {
          dev = Math.max(dev, Math.abs(mean[i] - lim.train(12).get(i, 0)));
        }
        for (int i = 0; i < 3; i++) {
          dev = Math.max(dev, Math.abs(mean[6 + i] - lim.test(12).get(i, 0)));
        }
        out.printf("%-30s %8d %12.5f %12.5f%n", name, width, dev, se);
      }
    }
  }
}
