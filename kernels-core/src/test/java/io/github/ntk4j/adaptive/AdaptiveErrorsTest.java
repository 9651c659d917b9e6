package io.github.ntk4j.adaptive;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad settings and unsupported architectures get errors that name the problem. */
class AdaptiveErrorsTest {
  static final Matrix X = Matrix.of(new double[][] {{1, 2}, {0.5, -1}, {2, 0}});
  static final Matrix Y = Matrix.of(new double[][] {{1}, {-1}, {0.5}});

  static void expect(String fragment, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' should contain '" + fragment + "'");
  }

  @Test
  void optimizerSettingsOutsideTheirRangesAreRefused() {
    expect("beta1 must be in [0, 1)", () -> Optimizer.adam(0.1, 1.0, 0.9, 0));
    expect("beta2 must be in [0, 1)", () -> Optimizer.adam(0.1, 0.9, -0.1, 0));
    expect("epsilon must be a finite number >= 0", () -> Optimizer.adam(0.1, 0.9, 0.99, -1e-8));
    expect("learningRate must be a finite number > 0", () -> Optimizer.sgd(-0.1));
    expect("learningRate must be a finite number > 0", () -> Optimizer.signSgd(Double.NaN, 0));
    expect("weightDecay (per step) must be in [0, 1)", () -> Optimizer.adam(0.1, 0.9, 0.99, 0).withWeightDecay(1.5));
    expect("SGD takes no beta1", () -> new Optimizer(Optimizer.Rule.SGD, 0.1, 0.9, 0, 0, 0, Schedule.constant()));
    expect("gamma must be in (0, 1]", () -> Schedule.exponential(0));
    expect("multiplier 1 is -1.0", () -> Schedule.of(1, -1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "serial(dense(1.0, 0.1), relu())|must end with a dense layer",
        "serial(dense(1.0, 0.1), relu(), identity(), dense(1.0))|one activation after each hidden dense layer",
        "serial(dense(1.0, 0.1), erf(1, 2, 0.5), dense(1.0))|erf(1, 2, 0.5) has no closed-form SignSGD kernel",
        "serial(dense(1.0, 0.1, parameterization=standard, width=64), relu(), dense(1.0, parameterization=standard))|standard parameterization",
      })
  void signKernelNamesTheLayerItCannotHandle(String arch, String fragment) {
    expect(fragment, () -> SignKernel.compute(Architectures.parse(arch), X, null));
  }

  @Test
  void shapesAndValuesAreChecked() {
    var net = Architectures.parse("serial(dense(1.0, 0.1), relu(), dense(1.0))");
    expect("trainY: has 2 rows but trainX has 3", () -> AdaptiveLimit.of(net, X, Matrix.of(new double[][] {{1}, {2}}), null, null));
    expect("testX: has 3 columns", () -> AdaptiveLimit.of(net, X, Y, Matrix.of(new double[][] {{1, 2, 3}}), null));
    expect("trainY: row 1, column 0 is NaN", () -> AdaptiveLimit.of(net, X, Matrix.of(new double[][] {{1}, {Double.NaN}, {0}}), null, null));
    expect("testY: given without testX", () -> AdaptiveLimit.of(net, X, Y, null, Y));
    AdaptiveLimit lim = AdaptiveLimit.of(net, X, Y, null, null);
    SimulationOptions o = SimulationOptions.defaults(2).withSamples(4).withReplicates(1);
    expect("exceeds 3000", () -> lim.simulate(Optimizer.adam(0.1, 0.9, 0.99, 0).withWeightDecay(0.1), o.withSteps(1000)));
    expect("expected sorted, distinct indices in [0, 3)", () -> lim.simulate(Optimizer.sgd(0.1), o.withBatches((t, n) -> new int[] {3})));
    expect("batches: batch 0 has index 5", () -> lim.simulate(Optimizer.sgd(0.1), o.withBatches(Batches.of(new int[] {5}))));
    expect("the sign kernel describes batches of one point", () -> lim.signDescent(Optimizer.signSgd(0.1, 0), o));
    expect("needs Optimizer.signSgd(eta, 0)", () -> lim.signDescent(Optimizer.signSgd(0.1, 1e-3), o));
    expect("needs Optimizer.sgd", () -> lim.kernelGradientDescent(Optimizer.adam(0.1, 0.9, 0.99, 0), o));
    expect("size 4 is larger than the 3 training points", () -> lim.simulate(Optimizer.sgd(0.1), o.withBatches(Batches.random(4, 1))));
    expect("replicates must be >= 1", () -> o.withReplicates(0));
  }

  @Test
  void divergingDynamicsFailInsteadOfReturningInfinity() {
    var net = Architectures.parse("serial(dense(1.0, 0.1), relu(), dense(1.0))");
    AdaptiveLimit lim = AdaptiveLimit.of(net, X, Y, null, null);
    assertThrows(io.github.ntk4j.NumericalException.class,
        () -> lim.kernelGradientDescent(Optimizer.sgd(1e6), SimulationOptions.defaults(200)));
  }
}
