package io.github.ntk4j.adaptive;

import io.github.ntk4j.Backend;
import io.github.ntk4j.BackendUnavailableException;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.internal.CpuEngine;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.SignChain;
import io.github.ntk4j.layers.Layer;
import java.util.Objects;

/**
 * The batch-size-1 SignSGD neural tangent kernel K^sign: the neural-tangent limit of SignSGD
 * (ε = 0, one training point per step, no weight decay) under the scalings of Tensor Programs IVb
 * (G. Yang, E. Littwin, arXiv 2308.01814; the asymmetric SignGD kernel of S. Malladi et al., arXiv
 * 2210.05643). It is <b>not</b> the method of arXiv 2406.18800, whose full text is not public.
 *
 * <p>For an MLP serial(dense¹, φ¹, dense², …, φ^L, dense^{L+1}) in the NTK parameterization, one
 * SignSGD step of size η on the single training point x_b changes the output at x_a by
 * −η·sign(χ_b)·K^sign[a][b] (χ_b = ∂ℓ/∂f(x_b)), where
 *
 * <pre>
 *   K^sign[a][b] = Σ_g c_g · E[U_{g,a}·sign U_{g,b}] · E[V_{g,a}·sign V_{g,b}]
 *     = (σw¹/√d)·B¹·Σ_k x_{a,k}·sign x_{b,k} + Σ_{l=2}^{L+1} σwˡ·Bˡ·F^{l−1} + Σ_{l=1}^{L+1} σbˡ·Bˡ
 *   Fˡ = E[φ(hˡ_a)·sign φ(hˡ_b)],   Bˡ = E[φ'(hˡ_a)·sign φ'(hˡ_b)]·√(2/π)·Πˡ_ab/√Πˡ_bb,   B^{L+1} = 1
 * </pre>
 *
 * with hˡ ~ N(0, Σˡ) the pre-activations of hidden layer l and Πˡ the backward covariances
 * (Π^L = σw^{L+1}², Πˡ = σw^{l+1}²·Ṫ^{l+1}⊙Π^{l+1}); see shared/math/adaptive-limits.md §4.
 *
 * <p><b>Orientation</b>: rows are the points whose output moves ({@code x1}), columns the training
 * point that forms the batch ({@code x2}). The kernel is not symmetric; its diagonal is
 * non-negative. Two Dense layers in a row are read with an identity activation between them.
 *
 * <p>Closed forms exist for {@code dense} (NTK parameterization), {@code relu}, {@code abrelu},
 * {@code leakyrelu}, {@code abs}, {@code identity} and
 * {@code erf(a, b, 0)}; other layers are refused with an error naming them (use {@link
 * AdaptiveLimit} with a small ε). Values are float64; {@link Precision#FLOAT32} rounds the result.
 * Results do not depend on the thread count or tile size. All methods are thread-safe.
 */
public final class SignKernel {
  private SignKernel() {}

  /**
   * K^sign[a][b] for x1ᵢ moving under a step on x2ⱼ, with {@link ComputeOptions#defaults()}.
   *
   * @param architecture the network, ending with a Dense layer (not modified)
   * @param x1 the points whose output moves, n1×d
   * @param x2 the training points, n2×d, or {@code null} for {@code x1} again
   * @return the n1×n2 kernel
   */
  public static Matrix compute(Layer architecture, Matrix x1, Matrix x2) {
    return compute(architecture, x1, x2, ComputeOptions.defaults(), ProgressListener.none());
  }

  /**
   * K^sign[a][b] for x1ᵢ moving under a step on x2ⱼ.
   *
   * @param architecture the network, ending with a Dense layer (not modified)
   * @param x1 the points whose output moves, n1×d, finite values
   * @param x2 the training points, n2×d, or {@code null} for {@code x1} again
   * @param options threads and tile size; FLOAT32 rounds the float64 result
   * @param progress receives the number of entries computed; interrupting the caller cancels
   * @return the n1×n2 kernel
   * @throws IllegalArgumentException for mismatched columns, non-finite inputs, or an architecture
   *     without a closed form (the message names the layer)
   * @throws BackendUnavailableException when {@link Backend#OPENCL} is asked for
   * @throws io.github.ntk4j.NumericalException when an entry overflows
   */
  public static Matrix compute(
      Layer architecture, Matrix x1, Matrix x2, ComputeOptions options, ProgressListener progress) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(x1, "x1");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    MatrixBridge.requireKernelInputs(x1, x2);
    if (options.backend() == Backend.OPENCL) {
      throw new BackendUnavailableException(
          "opencl: the SignSGD kernel has no OpenCL implementation; use the cpu backend");
    }
    int d = x1.cols();
    SignChain chain = SignChain.compile(architecture, d);
    Matrix second = x2 == null ? x1 : x2;
    int n1 = x1.rows();
    int n2 = second.rows();
    double[] out =
        chain.compute(
            MatrixBridge.data(x1), n1, MatrixBridge.data(second), n2, d, options.threads(), options.tileSize(),
            progress::progress);
    if (options.precision() == Precision.FLOAT32) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) out[i];
      }
    }
    return MatrixBridge.wrap(n1, n2, out);
  }
}
