package io.github.ntk4j.layers;

/**
 * A fully-connected affine layer (arXiv 1711.00165, arXiv 1806.07572; shared/math/kernels.md §1.3).
 *
 * <p>In the NTK parameterization (the default):
 *
 * \[ \Sigma' = \sigma_w^2\,\Sigma + \sigma_b^2, \qquad \Theta' = \Sigma' + \sigma_w^2\,\Theta \]
 *
 * In the {@link Parameterization#STANDARD standard} parameterization the NNGP is the same and
 * \(\Theta' = N\,\Sigma + \sigma_w^2\,\Theta + \beta\), where N is the layer's finite input width and β = 1 when the bias is
 * trained; every Dense layer that feeds another Dense layer must then give its {@code width}.
 *
 * <p>String forms: {@code dense(1.5, 0.1)}, {@code dense(1.5)} (σb = 0), and named options
 * {@code parameterization=standard}, {@code width=512}, {@code bias=true|false}, e.g.
 * {@code dense(1.4, 0.3, parameterization=standard, width=512)}.
 *
 * @param weightStd σw ≥ 0
 * @param biasStd σb ≥ 0
 * @param parameterization NTK or standard
 * @param width the number of output units of the finite network (0 when unspecified); used by the
 *     standard parameterization
 * @param trainableBias whether the layer has a trained bias (β = 1 in the standard NTK). In the NTK
 *     parameterization a bias of std 0 makes no difference, so the flag is normalised to
 *     {@code biasStd > 0} there.
 */
public record Dense(
    double weightStd, double biasStd, Parameterization parameterization, int width, boolean trainableBias)
    implements Layer {

  /**
   * Validates the parameters.
   *
   * @param weightStd σw ≥ 0
   * @param biasStd σb ≥ 0
   * @param parameterization NTK or standard
   * @param width the number of output units of the finite network (0 when unspecified); used by the standard parameterization
   * @param trainableBias whether the layer has a trained bias (β = 1 in the standard NTK). In the NTK parameterization a bias of std 0 makes no difference, so the flag is normalised to {@code biasStd > 0} there.
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Dense {
    weightStd = Numbers.requireNonNegative("dense", "weightStd", weightStd);
    biasStd = Numbers.requireNonNegative("dense", "biasStd", biasStd);
    if (parameterization == null) {
      throw new IllegalArgumentException("dense: parameterization must not be null");
    }
    if (width < 0) {
      throw new IllegalArgumentException("dense: width must be >= 1 (or 0 for unspecified), got " + width);
    }
    if (parameterization == Parameterization.NTK) {
      trainableBias = biasStd > 0;
    } else if (biasStd > 0 && !trainableBias) {
      throw new IllegalArgumentException(
          "dense: bias=false contradicts biasStd=" + Numbers.format(biasStd) + " > 0");
    }
  }

  /**
   * A layer in the NTK parameterization.
   *
   * @param weightStd σw ≥ 0
   * @param biasStd σb ≥ 0
   */
  public Dense(double weightStd, double biasStd) {
    this(weightStd, biasStd, Parameterization.NTK, 0, biasStd > 0);
  }

  /**
   * This layer with another parameterization (a bias is trained when σb > 0).
   *
   * @param p the parameterization
   * @return the new layer
   */
  public Dense withParameterization(Parameterization p) {
    return new Dense(weightStd, biasStd, p, width, p == Parameterization.STANDARD ? trainableBias || biasStd > 0 : biasStd > 0);
  }

  /**
   * This layer with the given finite width (number of output units).
   *
   * @param w the width, at least 1
   * @return the new layer
   */
  public Dense withWidth(int w) {
    return new Dense(weightStd, biasStd, parameterization, w, trainableBias);
  }

  /**
   * This layer with a trained (or untrained) bias; meaningful in the standard parameterization.
   *
   * @param trained whether the bias is trained
   * @return the new layer
   */
  public Dense withTrainableBias(boolean trained) {
    return new Dense(weightStd, biasStd, parameterization, width, trained);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("dense(").append(Numbers.format(weightStd)).append(", ").append(Numbers.format(biasStd));
    if (parameterization == Parameterization.STANDARD) {
      sb.append(", parameterization=standard");
    }
    if (width > 0) {
      sb.append(", width=").append(width);
    }
    if (parameterization == Parameterization.STANDARD && trainableBias && biasStd == 0) {
      sb.append(", bias=true");
    }
    return sb.append(')').toString();
  }
}
