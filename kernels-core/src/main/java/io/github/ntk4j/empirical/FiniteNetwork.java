package io.github.ntk4j.empirical;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.Products;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Bias;
import io.github.ntk4j.layers.LayerNorm;
import io.github.ntk4j.layers.Parallel;
import io.github.ntk4j.layers.Scale;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Parameterization;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A finite-width network of an architecture, sampled from a seed: the finite counterpart of the
 * kernels, with a hand-written forward pass, exact parameter gradients by backpropagation, its
 * empirical NNGP and NTK, and full-batch gradient descent. Immutable and thread-safe; training
 * returns a new network.
 *
 * <p>Every Dense layer has {@code width} output units (or its own {@link Dense#width()} when that is
 * set), except the last, which has {@code outputs}. With standard normal W and b, a Dense layer with
 * input z of width N computes
 *
 * <pre>
 *   h = (σw/√N)·W·z + σb·b
 * </pre>
 *
 * in both parameterizations; they differ in what is trained (shared/math/kernels.md §1.1, §1.4;
 * Jacot et al., arXiv 1806.07572; Lee et al., arXiv 1902.06720). In the NTK parameterization the
 * parameters are W and b themselves; in the standard parameterization they are W' = (σw/√N)·W and
 * b' = σb·b (the bias only when the layer's bias is trained). {@link #parameters()} lists them, layer
 * by layer, W row-major (units × inputs) then b.
 *
 * <p>The empirical kernels of one network are
 *
 * <pre>
 *   NNGP: (1/c)·Σ_k f_k(x)·f_k(x')                      (c output units)
 *   NTK of output unit k: Σ_θ ∂f_k(x)/∂θ · ∂f_k(x')/∂θ
 * </pre>
 *
 * and converge to the analytic kernels as the width grows, with fluctuations of order width^-1/2.
 *
 * <p>Every layer with a kernel is supported: activations apply φ elementwise, {@code scale(c)}
 * multiplies, {@code bias(σb)} adds σb·b with a trained standard normal b, {@code layernorm()}
 * standardizes each row over its features (and backpropagates through the mean and variance), and
 * {@code parallel(…)} runs its branches on the same input and sums them (equal widths) or
 * concatenates their features. The output Dense layer must come after the last parallel block.
 * Results depend only on the seed: sampling uses {@link SplittableRandom}, and every product has one
 * fixed order of operations.
 */
public final class FiniteNetwork {
  private final Layer architecture;
  private final Layer[] layers;
  /** Per position: 0 for a layer, or FORK / NEXT / JOIN for the control points of a {@link Parallel}. */
  private final int[] control;
  /** Per NEXT / JOIN position: the output widths of the parallel's branches. */
  private final int[][] branchWidths;
  private final int inputDimension;
  private final int width;
  private final int outputs;
  private final int[] inWidths; // per layer: width of its input
  private final int[] outWidths; // per layer: width of its output
  private final double[][] weights; // per Dense layer: trained parameter, units × in (null for activations)
  private final double[][] biases; // per Dense layer: trained parameter, units
  private final int parameterCount;

  private FiniteNetwork(FiniteNetwork template, double[][] weights, double[][] biases) {
    this.architecture = template.architecture;
    this.layers = template.layers;
    this.control = template.control;
    this.branchWidths = template.branchWidths;
    this.inputDimension = template.inputDimension;
    this.width = template.width;
    this.outputs = template.outputs;
    this.inWidths = template.inWidths;
    this.outWidths = template.outWidths;
    this.weights = weights;
    this.biases = biases;
    this.parameterCount = template.parameterCount;
  }

  private FiniteNetwork(Layer architecture, int inputDimension, int width, int outputs, long seed) {
    this.architecture = architecture;
    List<Layer> flat = new ArrayList<>();
    List<Integer> kinds = new ArrayList<>();
    flatten(architecture, flat, kinds);
    this.layers = flat.toArray(Layer[]::new);
    this.control = kinds.stream().mapToInt(Integer::intValue).toArray();
    this.branchWidths = new int[layers.length][];
    this.inputDimension = inputDimension;
    this.width = width;
    this.outputs = outputs;
    io.github.ntk4j.internal.Chain.compile(architecture, inputDimension); // the same structural rules as the kernels
    int last = -1;
    int nesting = 0;
    boolean lastInside = false;
    for (int l = 0; l < layers.length; l++) {
      nesting += control[l] == FORK ? 1 : control[l] == JOIN ? -1 : 0;
      if (control[l] == 0 && layers[l] instanceof Dense) {
        last = l;
        lastInside = nesting > 0;
      }
    }
    if (lastInside) {
      throw new IllegalArgumentException(
          "architecture: a finite network needs its output dense layer after the last parallel(...); add dense(...)"
              + " at the end");
    }
    if (last < 0) {
      throw new IllegalArgumentException("architecture: a finite network needs at least one Dense layer");
    }
    inWidths = new int[layers.length];
    outWidths = new int[layers.length];
    weights = new double[layers.length][];
    biases = new double[layers.length][];
    SplittableRandom rng = new SplittableRandom(seed);
    int in = inputDimension;
    int count = 0;
    java.util.ArrayDeque<Integer> forkWidths = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<List<Integer>> outs = new java.util.ArrayDeque<>();
    for (int l = 0; l < layers.length; l++) {
      inWidths[l] = in;
      if (control[l] != 0) {
        if (control[l] == FORK) {
          forkWidths.push(in);
          outs.push(new ArrayList<>());
        } else {
          outs.peek().add(in);
          if (control[l] == NEXT) {
            in = forkWidths.peek();
          } else {
            forkWidths.pop();
            List<Integer> widths = outs.pop();
            Parallel p = (Parallel) layers[l];
            int[] ws = widths.stream().mapToInt(Integer::intValue).toArray();
            branchWidths[l] = ws;
            if (p.fanIn() == Parallel.FanIn.SUM) {
              for (int w : ws) {
                if (w != ws[0]) {
                  throw new IllegalArgumentException(
                      "architecture: " + p + " sums branches of different widths " + widths + " in a finite network;"
                          + " make every branch end with the same width");
                }
              }
              in = ws[0];
            } else {
              in = java.util.Arrays.stream(ws).sum();
            }
          }
        }
        outWidths[l] = in;
        continue;
      }
      if (layers[l] instanceof Dense d) {
        int units = l == last ? outputs : (d.width() > 0 ? d.width() : width);
        double[] w = new double[units * in];
        double[] b = new double[units];
        boolean standard = d.parameterization() == Parameterization.STANDARD;
        double wScale = standard ? d.weightStd() / Math.sqrt(in) : 1;
        double bScale = standard ? d.biasStd() : 1;
        for (int i = 0; i < w.length; i++) {
          w[i] = wScale * rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = bScale * rng.nextGaussian();
        }
        weights[l] = w;
        biases[l] = b;
        count += w.length + b.length;
        in = units;
      } else if (layers[l] instanceof Bias) {
        double[] b = new double[in];
        for (int i = 0; i < b.length; i++) {
          b[i] = rng.nextGaussian();
        }
        weights[l] = new double[0];
        biases[l] = b;
        count += b.length;
      }
      outWidths[l] = in;
    }
    this.parameterCount = count;
  }

  /**
   * Samples a network.
   *
   * @param architecture the architecture (each activation directly after a Dense layer)
   * @param inputDimension d ≥ 1, the number of input columns
   * @param width units of every Dense layer but the last (unless the layer sets its own width), ≥ 1
   * @param outputs units of the last Dense layer, ≥ 1
   * @param seed the seed; the same seed gives the same network
   * @return the network
   */
  public static FiniteNetwork sample(Layer architecture, int inputDimension, int width, int outputs, long seed) {
    Objects.requireNonNull(architecture, "architecture");
    if (inputDimension < 1 || width < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "inputDimension, width and outputs must be >= 1, got " + inputDimension + ", " + width + ", " + outputs);
    }
    return new FiniteNetwork(architecture, inputDimension, width, outputs, seed);
  }

  private static final int FORK = 1;
  private static final int NEXT = 2;
  private static final int JOIN = 3;

  /** Layers in order, with a parallel expanded to FORK, branch 1, NEXT, …, branch n, JOIN. */
  private static void flatten(Layer l, List<Layer> out, List<Integer> kinds) {
    if (l instanceof Serial s) {
      s.layers().forEach(x -> flatten(x, out, kinds));
    } else if (l instanceof Parallel p) {
      out.add(p);
      kinds.add(FORK);
      for (int b = 0; b < p.branches().size(); b++) {
        flatten(p.branches().get(b), out, kinds);
        out.add(p);
        kinds.add(b == p.branches().size() - 1 ? JOIN : NEXT);
      }
    } else {
      out.add(l);
      kinds.add(0);
    }
  }

  /**
   * The architecture.
   *
   * @return the architecture
   */
  public Layer architecture() {
    return architecture;
  }

  /**
   * The hidden width.
   *
   * @return the width
   */
  public int width() {
    return width;
  }

  /**
   * The number c of output units.
   *
   * @return c
   */
  public int outputs() {
    return outputs;
  }

  /**
   * The input dimension d.
   *
   * @return d
   */
  public int inputDimension() {
    return inputDimension;
  }

  /**
   * The number of parameters (weights and biases of every Dense layer).
   *
   * @return the length of {@link #parameters()}
   */
  public int parameterCount() {
    return parameterCount;
  }

  /**
   * The trained parameters θ, layer by layer: W (row-major, units × inputs), then b.
   *
   * @return a copy of θ
   */
  public double[] parameters() {
    double[] p = new double[parameterCount];
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        System.arraycopy(weights[l], 0, p, o, weights[l].length);
        o += weights[l].length;
        System.arraycopy(biases[l], 0, p, o, biases[l].length);
        o += biases[l].length;
      }
    }
    return p;
  }

  /**
   * This network with other parameter values (for example, perturbed for a finite-difference check).
   *
   * @param theta parameters in the layout of {@link #parameters()} (copied)
   * @return the new network
   */
  public FiniteNetwork withParameters(double[] theta) {
    if (theta.length != parameterCount) {
      throw new IllegalArgumentException("theta must have " + parameterCount + " entries, got " + theta.length);
    }
    double[][] w = new double[layers.length][];
    double[][] b = new double[layers.length][];
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        w[l] = java.util.Arrays.copyOfRange(theta, o, o + weights[l].length);
        o += weights[l].length;
        b[l] = java.util.Arrays.copyOfRange(theta, o, o + biases[l].length);
        o += biases[l].length;
      }
    }
    return new FiniteNetwork(this, w, b);
  }

  /**
   * The outputs f(x) of every row of {@code x}.
   *
   * @param x inputs, n×d
   * @return f(x), n×c
   */
  public Matrix apply(Matrix x) {
    double[][] z = forward(x);
    return MatrixBridge.wrap(x.rows(), outputs, z[layers.length]);
  }

  /**
   * The gradient ∂f_k(x)/∂θ of one output unit at one input, in the layout of
   * {@link #parameters()}.
   *
   * @param x one input of length d
   * @param output the output unit k
   * @return the gradient
   */
  public double[] parameterGradient(double[] x, int output) {
    checkOutput(output);
    Matrix row = Matrix.of(new double[][] {x});
    double[][] z = forward(row);
    double[][] delta = backward(z, unitSeed(1, output));
    double[] g = new double[parameterCount];
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        double wc = wFactor(l);
        int in = inWidths[l];
        for (int j = 0; j < weights[l].length / Math.max(in, 1); j++) {
          for (int k = 0; k < in; k++) {
            g[o + j * in + k] = wc * delta[l][j] * z[l][k];
          }
        }
        o += weights[l].length;
        double bc = bFactor(l);
        for (int j = 0; j < outWidths[l]; j++) {
          g[o + j] = bc * delta[l][j];
        }
        o += biases[l].length;
      }
    }
    return g;
  }

  /**
   * The empirical NNGP of this network, (1/c)·Σ_k f_k(x1_i)·f_k(x2_j).
   *
   * @param x1 n1×d
   * @param x2 n2×d, or null for x1
   * @return n1×n2
   */
  public Matrix empiricalNngp(Matrix x1, Matrix x2) {
    Matrix b = x2 == null ? x1 : x2;
    double[] f1 = forward(x1)[layers.length];
    double[] f2 = x2 == null ? f1 : forward(b)[layers.length];
    double[] k = Products.timesTransposed(f1, x1.rows(), outputs, f2, b.rows());
    for (int i = 0; i < k.length; i++) {
      k[i] /= outputs;
    }
    return MatrixBridge.wrap(x1.rows(), b.rows(), k);
  }

  /**
   * The empirical NTK of output unit k: Σ_θ ∂f_k(x1_i)/∂θ · ∂f_k(x2_j)/∂θ, computed layer by layer
   * as (δ·δ')(z·z')·c_W + (δ·δ')·c_b without forming the gradients (δ the backpropagated error at
   * the layer's output, z its input; c_W = σw²/N and c_b = σb² in the NTK parameterization, 1 and
   * β in the standard one).
   *
   * @param x1 n1×d
   * @param x2 n2×d, or null for x1
   * @param output the output unit k
   * @return n1×n2
   */
  public Matrix empiricalNtk(Matrix x1, Matrix x2, int output) {
    checkOutput(output);
    Matrix b = x2 == null ? x1 : x2;
    int n1 = x1.rows();
    int n2 = b.rows();
    double[][] z1 = forward(x1);
    double[][] d1 = backward(z1, unitSeed(n1, output));
    double[][] z2 = x2 == null ? z1 : forward(b);
    double[][] d2 = x2 == null ? d1 : backward(z2, unitSeed(n2, output));
    double[] theta = new double[n1 * n2];
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        double wc = wFactor(l);
        double bc = bFactor(l);
        double[] dd = Products.timesTransposed(d1[l], n1, outWidths[l], d2[l], n2);
        double[] zz = wc == 0 ? new double[theta.length] : Products.timesTransposed(z1[l], n1, inWidths[l], z2[l], n2);
        for (int i = 0; i < theta.length; i++) {
          theta[i] += dd[i] * (wc * wc * zz[i] + bc * bc);
        }
      }
    }
    return MatrixBridge.wrap(n1, n2, theta);
  }

  /**
   * One step of full-batch gradient descent on L = (1/(2N))·Σ_{i,k} (f_k(x_i) − y_ik)², N = n·c:
   * θ ← θ − η·∂L/∂θ. To train a centred network f − f_init (whose outputs start at 0), pass
   * y + f_init(x) as the targets.
   *
   * @param x inputs, n×d
   * @param y targets, n×c
   * @param learningRate η &gt; 0
   * @return the network after the step
   */
  public FiniteNetwork gradientDescentStep(Matrix x, Matrix y, double learningRate) {
    if (y.rows() != x.rows() || y.cols() != outputs) {
      throw new IllegalArgumentException(
          "y must be " + x.rows() + "x" + outputs + " (one row per input, one column per output), got " + y.rows() + "x"
              + y.cols());
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    int n = x.rows();
    double[][] z = forward(x);
    double[] f = z[layers.length];
    double[] yy = MatrixBridge.data(y);
    double[] e = new double[f.length];
    double count = (double) n * outputs;
    for (int i = 0; i < e.length; i++) {
      e[i] = (f[i] - yy[i]) / count;
    }
    double[][] delta = backward(z, e);
    double[][] w = new double[layers.length][];
    double[][] b = new double[layers.length][];
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        int units = outWidths[l];
        int in = inWidths[l];
        w[l] = weights[l].clone();
        if (w[l].length > 0) {
          double[] gradW = Products.times(Products.transpose(delta[l], n, units), units, n, z[l], in);
          double wc = learningRate * wFactor(l);
          for (int i = 0; i < w[l].length; i++) {
            w[l][i] -= wc * gradW[i];
          }
        }
        b[l] = biases[l].clone();
        double bc = learningRate * bFactor(l);
        if (bc != 0) {
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < units; j++) {
              b[l][j] -= bc * delta[l][i * units + j];
            }
          }
        }
      }
    }
    return new FiniteNetwork(this, w, b);
  }

  /**
   * The loss gradient Σ_b χ_b·∂f_k(x_b)/∂θ of output unit k, in the layout of {@link #parameters()}
   * (one backward pass for the whole batch).
   *
   * @param x the batch inputs, B×d
   * @param chi ∂ℓ/∂f_k(x_b) for each row, length B (not modified)
   * @param output the output unit k
   * @return the gradient
   */
  public double[] lossGradient(Matrix x, double[] chi, int output) {
    checkOutput(output);
    if (chi.length != x.rows()) {
      throw new IllegalArgumentException("chi has " + chi.length + " entries but x has " + x.rows() + " rows");
    }
    int n = x.rows();
    double[][] z = forward(x);
    double[] seed = new double[n * outputs];
    for (int i = 0; i < n; i++) {
      seed[i * outputs + output] = chi[i];
    }
    double[][] delta = backward(z, seed);
    double[] g = new double[parameterCount];
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        int units = outWidths[l];
        int in = inWidths[l];
        if (weights[l].length > 0) {
          double[] gradW = Products.times(Products.transpose(delta[l], n, units), units, n, z[l], in);
          double wc = wFactor(l);
          for (int i = 0; i < gradW.length; i++) {
            g[o + i] = wc * gradW[i];
          }
        }
        o += weights[l].length;
        double bc = bFactor(l);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < units; j++) {
            g[o + j] += bc * delta[l][i * units + j];
          }
        }
        o += biases[l].length;
      }
    }
    return g;
  }

  /**
   * The neural-tangent scale s_θ of every parameter, in the layout of {@link #parameters()}: the
   * square root of the product of the layer's widths that grow with the network, √(N_in·N_out),
   * where the input dimension and the output units count as 1. For an MLP this is √n for the input
   * weights, n for hidden weights, √n for the readout and hidden biases and 1 for the output bias.
   * Adaptive optimizers in the NT limit (Tensor Programs IVb, arXiv 2308.01814; shared/math/
   * adaptive-limits.md §1) use the learning rate η/s_θ and the gradient multiplier s_θ.
   *
   * @return the scales (a new array)
   */
  public double[] neuralTangentScales() {
    double[] s = new double[parameterCount];
    int first = -1;
    int last = -1;
    for (int l = 0; l < layers.length; l++) {
      if (layers[l] instanceof Dense) {
        last = l;
        if (first < 0) {
          first = l;
        }
      }
    }
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        double in = l == first ? 1 : inWidths[l];
        double out = l >= last ? 1 : outWidths[l];
        double ws = Math.sqrt(in * out);
        java.util.Arrays.fill(s, o, o + weights[l].length, ws);
        o += weights[l].length;
        java.util.Arrays.fill(s, o, o + biases[l].length, Math.sqrt(out));
        o += biases[l].length;
      }
    }
    return s;
  }

  /**
   * The empirical SignSGD kernel of output unit k in the neural-tangent scalings:
   * K_n[a][b] = Σ_θ (1/s_θ)·∂f_k(x1_a)/∂θ·sign ∂f_k(x2_b)/∂θ ({@link #neuralTangentScales}), the
   * first-order change of f(x1_a), per unit learning rate, under one sign step that raises f(x2_b).
   * Computed layer by layer as (Σᵢ δᵢ(a)·sign δᵢ(b))·(Σⱼ zⱼ(a)·sign zⱼ(b)) without forming the
   * gradients. As the width grows it converges to the infinite-width {@code SignKernel} (arXiv
   * 2308.01814; the asymmetric kernel of arXiv 2210.05643), with fluctuations of order width^-1/2.
   *
   * @param x1 the points whose output moves, n1×d
   * @param x2 the points stepped on, n2×d, or null for x1
   * @param output the output unit k
   * @return n1×n2
   * @throws IllegalArgumentException for the standard parameterization
   */
  public Matrix empiricalSignNtk(Matrix x1, Matrix x2, int output) {
    checkOutput(output);
    for (Layer layer : layers) {
      if (layer instanceof Dense d && d.parameterization() != Parameterization.NTK) {
        throw new IllegalArgumentException("empiricalSignNtk: layer " + d + " uses the standard parameterization");
      }
    }
    Matrix b = x2 == null ? x1 : x2;
    int n1 = x1.rows();
    int n2 = b.rows();
    double[][] z1 = forward(x1);
    double[][] d1 = backward(z1, unitSeed(n1, output));
    double[][] z2 = forward(b);
    double[][] d2 = backward(z2, unitSeed(n2, output));
    double[] scales = neuralTangentScales();
    double[] k = new double[n1 * n2];
    int o = 0;
    for (int l = 0; l < layers.length; l++) {
      if (weights[l] != null) {
        double wc = wFactor(l);
        double bc = bFactor(l);
        double ws = weights[l].length == 0 ? 1 : scales[o];
        double bs = scales[o + weights[l].length];
        o += weights[l].length + biases[l].length;
        double[] dd = Products.timesTransposed(d1[l], n1, outWidths[l], signs(d2[l]), n2);
        double[] zz = wc > 0 ? Products.timesTransposed(z1[l], n1, inWidths[l], signs(z2[l]), n2) : new double[k.length];
        for (int i = 0; i < k.length; i++) {
          // sign(c·δ·z) = sign δ·sign z for c > 0; a zero factor gives a zero gradient.
          k[i] += (wc > 0 ? wc / ws * dd[i] * zz[i] : 0) + (bc > 0 ? bc / bs * dd[i] : 0);
        }
      }
    }
    return MatrixBridge.wrap(n1, n2, k);
  }

  private static double[] signs(double[] a) {
    double[] s = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = Math.signum(a[i]);
    }
    return s;
  }

  private void checkOutput(int output) {
    if (output < 0 || output >= outputs) {
      throw new IllegalArgumentException("output must be in [0, " + outputs + "), got " + output);
    }
  }

  private double[] unitSeed(int n, int output) {
    double[] g = new double[n * outputs];
    for (int i = 0; i < n; i++) {
      g[i * outputs + output] = 1;
    }
    return g;
  }

  /** The weight factor of layer l (0 for a bias-only layer). */
  private double wFactor(int l) {
    return layers[l] instanceof Dense d ? weightFactor(d, l) : 0;
  }

  /** The bias factor of layer l: σb for a bias-only layer. */
  private double bFactor(int l) {
    return layers[l] instanceof Dense d ? biasFactor(d) : ((Bias) layers[l]).biasStd();
  }

  /** ∂h/∂W = factor·z: σw/√N in the NTK parameterization, 1 in the standard one. */
  private double weightFactor(Dense d, int l) {
    return d.parameterization() == Parameterization.NTK ? d.weightStd() / Math.sqrt(inWidths[l]) : 1;
  }

  /** ∂h/∂b: σb (NTK), 1 for a trained bias (standard), 0 otherwise. */
  private static double biasFactor(Dense d) {
    if (d.parameterization() == Parameterization.NTK) {
      return d.biasStd();
    }
    return d.trainableBias() ? 1 : 0;
  }

  /** z[l] is the input of layer l (n × inWidths[l]), z[L] the output. */
  private double[][] forward(Matrix x) {
    Objects.requireNonNull(x, "x");
    if (x.cols() != inputDimension) {
      throw new IllegalArgumentException(
          "x has " + x.cols() + " columns but the network takes " + inputDimension + " inputs");
    }
    int n = x.rows();
    double[][] z = new double[layers.length + 1][];
    z[0] = MatrixBridge.data(x);
    java.util.ArrayDeque<double[]> forkInputs = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<List<double[]>> branchOutputs = new java.util.ArrayDeque<>();
    for (int l = 0; l < layers.length; l++) {
      double[] in = z[l];
      if (control[l] != 0) {
        if (control[l] == FORK) {
          forkInputs.push(in);
          branchOutputs.push(new ArrayList<>());
          z[l + 1] = in;
        } else {
          branchOutputs.peek().add(in);
          if (control[l] == NEXT) {
            z[l + 1] = forkInputs.peek();
          } else {
            forkInputs.pop();
            z[l + 1] = fanIn((Parallel) layers[l], branchOutputs.pop(), n, branchWidths[l]);
          }
        }
        continue;
      }
      if (layers[l] instanceof Dense d) {
        int units = outWidths[l];
        double[] h = Products.timesTransposed(in, n, inWidths[l], weights[l], units);
        double ws = weightFactor(d, l);
        double bs = d.parameterization() == Parameterization.NTK ? d.biasStd() : 1;
        double[] bias = biases[l];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < units; j++) {
            h[i * units + j] = ws * h[i * units + j] + bs * bias[j];
          }
        }
        z[l + 1] = h;
      } else if (layers[l] instanceof Scale sc) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
          out[i] = sc.factor() * in[i];
        }
        z[l + 1] = out;
      } else if (layers[l] instanceof Bias bl) {
        int units = inWidths[l];
        double[] out = new double[in.length];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < units; j++) {
            out[i * units + j] = in[i * units + j] + bl.biasStd() * biases[l][j];
          }
        }
        z[l + 1] = out;
      } else if (layers[l] instanceof LayerNorm) {
        z[l + 1] = normalize(in, n, inWidths[l]);
      } else {
        Activation a = (Activation) layers[l];
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
          out[i] = a.apply(in[i]);
        }
        z[l + 1] = out;
      }
    }
    return z;
  }

  /** The sum, or the row-wise concatenation, of the branch outputs (n rows each). */
  private static double[] fanIn(Parallel p, List<double[]> outs, int n, int[] widths) {
    if (p.fanIn() == Parallel.FanIn.SUM) {
      double[] sum = outs.get(0).clone();
      for (int b = 1; b < outs.size(); b++) {
        double[] o = outs.get(b);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += o[i];
        }
      }
      return sum;
    }
    int total = java.util.Arrays.stream(widths).sum();
    double[] cat = new double[n * total];
    int offset = 0;
    for (int b = 0; b < outs.size(); b++) {
      int w = widths[b];
      for (int i = 0; i < n; i++) {
        System.arraycopy(outs.get(b), i * w, cat, i * total + offset, w);
      }
      offset += w;
    }
    return cat;
  }

  /** A parallel block during backpropagation: the fan-in's output gradient and the branch sums. */
  private static final class OpenParallel {
    final double[] outputGradient;
    final int[] widths;
    int branch;
    double[] inputGradient;

    OpenParallel(double[] outputGradient, int[] widths) {
      this.outputGradient = outputGradient;
      this.widths = widths;
      this.branch = widths.length - 1;
    }

    void add(double[] g) {
      if (inputGradient == null) {
        inputGradient = g.clone();
      } else {
        for (int i = 0; i < g.length; i++) {
          inputGradient[i] += g[i];
        }
      }
    }
  }

  /** The gradient of branch b's output from the gradient of the fan-in's output. */
  private static double[] branchGradient(Parallel p, double[] g, int n, int[] widths, int b) {
    if (p.fanIn() == Parallel.FanIn.SUM) {
      return g;
    }
    int total = java.util.Arrays.stream(widths).sum();
    int offset = 0;
    for (int k = 0; k < b; k++) {
      offset += widths[k];
    }
    int w = widths[b];
    double[] part = new double[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(g, i * total + offset, part, i * w, w);
    }
    return part;
  }

  /** Each row standardized over its features: (h − mean)/std; a row of zero variance is an error. */
  private static double[] normalize(double[] in, int n, int units) {
    double[] out = new double[in.length];
    for (int i = 0; i < n; i++) {
      double mean = 0;
      for (int j = 0; j < units; j++) {
        mean += in[i * units + j];
      }
      mean /= units;
      double var = 0;
      for (int j = 0; j < units; j++) {
        double e = in[i * units + j] - mean;
        var += e * e;
      }
      var /= units;
      if (!(var > 0)) {
        throw new IllegalArgumentException(
            "layernorm(): input row " + i + " has zero variance over its " + units + " features and cannot be normalized");
      }
      double inv = 1 / Math.sqrt(var);
      for (int j = 0; j < units; j++) {
        out[i * units + j] = (in[i * units + j] - mean) * inv;
      }
    }
    return out;
  }

  /**
   * Backpropagates ∂L/∂f = {@code seed} (n×c): delta[l] (n × outWidths[l]) = ∂L/∂(output of Dense
   * layer l), null for activations.
   */
  private double[][] backward(double[][] z, double[] seed) {
    int n = seed.length / outputs;
    double[][] delta = new double[layers.length][];
    double[] g = seed;
    // Parallels being walked backward, innermost first.
    java.util.ArrayDeque<OpenParallel> open = new java.util.ArrayDeque<>();
    for (int l = layers.length - 1; l >= 0; l--) {
      if (control[l] != 0) {
        Parallel p = (Parallel) layers[l];
        if (control[l] == JOIN) {
          OpenParallel o = new OpenParallel(g, branchWidths[l]);
          open.push(o);
          g = branchGradient(p, g, n, o.widths, o.branch);
        } else {
          // The start of a branch: its gradient w.r.t. the fork's input adds up over the branches.
          OpenParallel o = open.peek();
          o.add(g);
          if (control[l] == NEXT) {
            o.branch--;
            g = branchGradient(p, o.outputGradient, n, o.widths, o.branch);
          } else {
            open.pop();
            g = o.inputGradient;
          }
        }
        continue;
      }
      if (layers[l] instanceof Dense d) {
        delta[l] = g;
        if (l > 0) {
          double[] prev = Products.times(g, n, outWidths[l], weights[l], inWidths[l]);
          double ws = weightFactor(d, l);
          for (int i = 0; i < prev.length; i++) {
            prev[i] *= ws;
          }
          g = prev;
        }
      } else if (layers[l] instanceof Scale sc) {
        double[] prev = new double[g.length];
        for (int i = 0; i < g.length; i++) {
          prev[i] = sc.factor() * g[i];
        }
        g = prev;
      } else if (layers[l] instanceof Bias) {
        delta[l] = g; // ∂L/∂(output) is also ∂L/∂(input): the layer adds a constant per feature
      } else if (layers[l] instanceof LayerNorm) {
        // z = (h − μ)/σ: ∂L/∂h = (g − mean(g) − z·mean(g⊙z))/σ per row.
        int units = inWidths[l];
        double[] h = z[l];
        double[] out = z[l + 1];
        double[] prev = new double[g.length];
        for (int i = 0; i < n; i++) {
          double mean = 0;
          double var = 0;
          for (int j = 0; j < units; j++) {
            mean += h[i * units + j];
          }
          mean /= units;
          for (int j = 0; j < units; j++) {
            double e = h[i * units + j] - mean;
            var += e * e;
          }
          double inv = 1 / Math.sqrt(var / units);
          double gm = 0;
          double gz = 0;
          for (int j = 0; j < units; j++) {
            gm += g[i * units + j];
            gz += g[i * units + j] * out[i * units + j];
          }
          gm /= units;
          gz /= units;
          for (int j = 0; j < units; j++) {
            prev[i * units + j] = (g[i * units + j] - gm - out[i * units + j] * gz) * inv;
          }
        }
        g = prev;
      } else {
        Activation a = (Activation) layers[l];
        double[] pre = z[l];
        double[] prev = new double[g.length];
        for (int i = 0; i < g.length; i++) {
          prev[i] = g[i] * a.derivative(pre[i]);
        }
        g = prev;
      }
    }
    return delta;
  }
}
