package io.github.ntk4j.examples.guide;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.LossCurve;
import io.github.ntk4j.predict.PredictOptions;
import io.github.ntk4j.predict.Prediction;
import java.util.List;

/** docs/predictions.md: predictions of trained infinite networks. */
public final class PredictionsGuide {
  private PredictionsGuide() {}

  /** What the page's example computes, returned so that a test can check it. */
  public record Results(Matrix converged, Prediction gp, List<Matrix> curve, LossCurve loss, double etaMax, Matrix fromKernels) {}

  /**
   * Runs the page's example.
   *
   * @param trainX training inputs, n×d
   * @param trainY training targets, n×c
   * @param testX test inputs, m×d
   * @param testY test targets, m×c
   * @param trainKernel a precomputed training kernel K_dd, n×n
   * @param testKernel the matching test-train kernel K_td, m×n
   * @return the results
   */
  public static Results run(Matrix trainX, Matrix trainY, Matrix testX, Matrix testY, Matrix trainKernel, Matrix testKernel) {
    // snippet:ensemble
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    InfiniteEnsemble ens = InfiniteEnsemble.fit(net, trainX, trainY, PredictOptions.defaults().withDiagReg(1e-4));

    Matrix converged = ens.predict(testX, KernelKind.NTK, Double.POSITIVE_INFINITY).mean(); // gradient descent, t = ∞
    Prediction gp = ens.predict(testX, KernelKind.NNGP, Double.POSITIVE_INFINITY, true);   // GP posterior mean and covariance
    List<Matrix> curve = ens.meanTrajectory(testX, KernelKind.NTK, 1, 10, 100, 1000);     // one decomposition, many times
    LossCurve loss = ens.lossCurve(KernelKind.NTK, testX, testY, 1, 10, 100, 1000);       // train and test MSE
    double etaMax = ens.maxLearningRate();                                                 // largest stable step
    // end-snippet
    // snippet:kernels
    // From kernel matrices you already have (K_dd: n×n, K_td: m×n), e.g. read from .npy files:
    KernelPredictor predictor = KernelPredictor.of(trainKernel, trainY, PredictOptions.defaults().withDiagReg(1e-4));
    Matrix mean = predictor.mean(testKernel, Double.POSITIVE_INFINITY);
    // end-snippet
    return new Results(converged, gp, curve, loss, etaMax, mean);
  }
}
