package io.github.ntk4j.internal;

import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Bias;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Identity;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.LayerNorm;
import io.github.ntk4j.layers.Parallel;
import io.github.ntk4j.layers.Parameterization;
import io.github.ntk4j.layers.Scale;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * An architecture compiled for one input dimension: a flat list of stages, each a Dense map or an
 * activation's dual maps, with the structural rules of shared/math/kernels.md §1.5 checked.
 */
public final class Chain {
  /** One layer of the flattened architecture. */
  public static final class Stage {
    static final int DENSE = 0;
    static final int ACTIVATION = 1;
    static final int SCALE = 2;
    static final int BIAS = 3;
    static final int NORM = 4;
    static final int FORK = 5;
    static final int NEXT = 6;
    static final int JOIN = 7;

    final int kind;
    final Activation activation; // null unless ACTIVATION
    final double w2; // DENSE: σw²; SCALE: c²
    final double b2; // DENSE, BIAS: σb²
    final boolean standard;
    final double inputWidth; // standard parameterization: N_in
    final double beta; // standard parameterization: 1 when the bias is trained
    final String name; // the layer's string, for messages
    final boolean fanInSum; // FORK, NEXT, JOIN: sum (else concat)
    final int branches; // FORK, NEXT, JOIN: number of branches

    private Stage(int kind, Activation a, double w2, double b2, boolean standard, double inputWidth, double beta, String name) {
      this(kind, a, w2, b2, standard, inputWidth, beta, name, false, 0);
    }

    private Stage(
        int kind, Activation a, double w2, double b2, boolean standard, double inputWidth, double beta, String name,
        boolean fanInSum, int branches) {
      this.fanInSum = fanInSum;
      this.branches = branches;
      this.kind = kind;
      this.activation = a;
      this.w2 = w2;
      this.b2 = b2;
      this.standard = standard;
      this.inputWidth = inputWidth;
      this.beta = beta;
      this.name = name;
    }

    Stage(Activation a) {
      this(ACTIVATION, a, 0, 0, false, 0, 0, a.toString());
    }

    Stage(Dense d, double inputWidth) {
      this(DENSE, null, d.weightStd() * d.weightStd(), d.biasStd() * d.biasStd(),
          d.parameterization() == Parameterization.STANDARD, inputWidth, d.trainableBias() ? 1 : 0, d.toString());
    }

    boolean isDense() {
      return kind == DENSE;
    }
  }

  /** The kinds of stage, in the order of their codes. */
  public enum Kind { DENSE, ACTIVATION, SCALE, BIAS, NORM, FORK, NEXT, JOIN }

  /**
   * A read-only view of one stage, for other backends that run the chain themselves.
   *
   * @param kind what the stage does
   * @param activation the activation (ACTIVATION only), else null
   * @param w2 DENSE: σw²; SCALE: c²
   * @param b2 DENSE and BIAS: σb²
   * @param standard DENSE: standard parameterization
   * @param inputWidth DENSE, standard parameterization: the input width N
   * @param beta DENSE, standard parameterization: 1 when the bias is trained
   * @param fanInSum FORK, NEXT, JOIN: branches are summed (else averaged)
   * @param branches FORK, NEXT, JOIN: number of branches
   * @param name the layer's string
   */
  public record StageView(
      Kind kind, Activation activation, double w2, double b2, boolean standard, double inputWidth, double beta,
      boolean fanInSum, int branches, String name) {}

  private final Stage[] stages;
  private final String architecture;

  /** The stages, in order. */
  public List<StageView> stages() {
    List<StageView> out = new ArrayList<>();
    for (Stage st : stages) {
      out.add(new StageView(Kind.values()[st.kind], st.activation, st.w2, st.b2, st.standard, st.inputWidth, st.beta,
          st.fanInSum, st.branches, st.name));
    }
    return out;
  }

  private Chain(Stage[] stages, String architecture) {
    this.stages = stages;
    this.architecture = architecture;
  }

  /**
   * Compiles {@code layer} for inputs of dimension {@code inputDim}.
   *
   * @throws IllegalArgumentException when the architecture has no kernel (an activation that does
   *     not follow a Dense layer) or a standard-parameterization width is missing
   */
  public static Chain compile(Layer layer, int inputDim) {
    Builder b = new Builder(inputDim);
    b.add(layer);
    return new Chain(b.stages.toArray(new Stage[0]), layer.toString());
  }

  /** Compiles layers into stages, tracking widths and whether the current features are Gaussian. */
  private static final class Builder {
    final List<Stage> stages = new ArrayList<>();
    int lastWidth; // finite width entering the next Dense
    boolean widthKnown = true;
    boolean gaussian; // whether the current features are centred Gaussians (after dense, scale, bias, norm)
    Layer previous;
    int count;

    Builder(int inputDim) {
      lastWidth = inputDim;
    }

    void add(Layer x) {
      if (x instanceof Serial s) {
        for (Layer l : s.layers()) {
          add(l);
        }
        return;
      }
      int l = ++count;
      if (x instanceof Dense d) {
        if (d.parameterization() == Parameterization.STANDARD && !widthKnown) {
          throw new IllegalArgumentException(
              "architecture: layer " + l + " " + d + " uses the standard parameterization, which"
                  + " needs the width of the Dense layer before it; give that layer width=N");
        }
        stages.add(new Stage(d, lastWidth));
        widthKnown = d.width() > 0;
        lastWidth = d.width();
        gaussian = true;
      } else if (x instanceof Scale sc) {
        stages.add(new Stage(Stage.SCALE, null, sc.factor() * sc.factor(), 0, false, 0, 0, sc.toString()));
      } else if (x instanceof Bias bias) {
        stages.add(new Stage(Stage.BIAS, null, 1, bias.biasStd() * bias.biasStd(), false, 0, 0, bias.toString()));
      } else if (x instanceof LayerNorm n) {
        if (!gaussian) {
          throw new IllegalArgumentException(
              "architecture: layer " + l + " " + n + (previous == null
                  ? " is first; it normalizes the features of a dense layer: put it after dense(...)"
                  : " follows " + previous + ", whose features are not centred Gaussians; put layernorm()"
                      + " directly after a dense (or scale, bias) layer"));
        }
        stages.add(new Stage(Stage.NORM, null, 0, 0, false, 0, 0, n.toString()));
      } else if (x instanceof Parallel p) {
        int branches = p.branches().size();
        boolean sum = p.fanIn() == Parallel.FanIn.SUM;
        stages.add(new Stage(Stage.FORK, null, 0, 0, false, 0, 0, p.toString(), sum, branches));
        boolean inGaussian = gaussian;
        Layer inPrevious = previous;
        int inWidth = lastWidth;
        boolean inKnown = widthKnown;
        boolean allGaussian = true;
        for (int b = 0; b < branches; b++) {
          gaussian = inGaussian;
          previous = inPrevious;
          lastWidth = inWidth;
          widthKnown = inKnown;
          add(p.branches().get(b));
          allGaussian &= gaussian;
          stages.add(new Stage(b == branches - 1 ? Stage.JOIN : Stage.NEXT, null, 0, 0, false, 0, 0, p.toString(), sum, branches));
        }
        gaussian = sum && allGaussian;
        widthKnown = false;
      } else if (x instanceof Identity id) {
        stages.add(new Stage(id)); // the identity map needs no Gaussian input and keeps what it gets
      } else {
        Activation a = (Activation) x;
        if (!gaussian) {
          throw new IllegalArgumentException(
              "architecture: layer " + l + " " + a + (previous == null
                  ? " is first, but an activation needs a Dense layer before it (its input must be"
                      + " Gaussian); start with dense(...)"
                  : " follows " + previous + "; an activation must directly follow a Dense layer (or a"
                      + " scale, bias or layernorm after one, or a parallel(..., fanin=sum) of such branches)"));
        }
        stages.add(new Stage(a));
        gaussian = false;
      }
      previous = x;
    }
  }

  /** Appends the layers of {@code layer} to {@code out}, with every {@link Serial} expanded. */
  public static void flatten(Layer layer, List<Layer> out) {
    if (layer instanceof Serial s) {
      for (Layer l : s.layers()) {
        flatten(l, out);
      }
    } else {
      out.add(layer);
    }
  }

  /** Number of stages. */
  public int depth() {
    return stages.length;
  }

  /** The canonical architecture string. */
  public String architecture() {
    return architecture;
  }

  /**
   * Runs the per-point diagonal chain.
   *
   * @param q0 the input variances |x|²/d of each point (not modified)
   * @return {@code variances[l][i]}: the variance of point i entering stage l, for l in [0, depth],
   *     and at index depth the output variance (the NNGP diagonal)
   */
  public double[][] variances(double[] q0) {
    double[][] v = new double[stages.length + 1][];
    v[0] = q0.clone();
    java.util.ArrayDeque<double[]> inputs = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<double[]> sums = new java.util.ArrayDeque<>();
    for (int l = 0; l < stages.length; l++) {
      Stage st = stages[l];
      double[] in = v[l];
      if (st.kind >= Stage.FORK) {
        // Branches: every branch starts from the fork's input; their outputs are summed (or averaged).
        if (st.kind == Stage.FORK) {
          inputs.push(in);
          sums.push(new double[in.length]);
          v[l + 1] = in;
          continue;
        }
        double[] acc = sums.peek();
        for (int i = 0; i < in.length; i++) {
          acc[i] += in[i];
        }
        if (st.kind == Stage.NEXT) {
          v[l + 1] = inputs.peek();
        } else {
          sums.pop();
          inputs.pop();
          if (!st.fanInSum) {
            for (int i = 0; i < acc.length; i++) {
              acc[i] /= st.branches;
            }
          }
          v[l + 1] = acc;
        }
        continue;
      }
      double[] out = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        switch (st.kind) {
          case Stage.DENSE:
          case Stage.BIAS:
            out[i] = st.w2 * in[i] + st.b2;
            break;
          case Stage.SCALE:
            out[i] = st.w2 * in[i];
            break;
          case Stage.NORM:
            if (!(in[i] > 0)) {
              throw new IllegalArgumentException(
                  st.name + ": point " + i + " reaches this layer with variance " + in[i] + " (a zero input with no"
                      + " biases before it), which cannot be normalized; add a bias before it or remove the point");
            }
            out[i] = 1;
            break;
          default:
            out[i] = st.activation.dualOfVariance(in[i]);
        }
      }
      v[l + 1] = out;
    }
    return v;
  }

  /** The NTK diagonal Θ(x, x) of each point, from the output of {@link #variances}. */
  public double[] ntkDiagonal(double[][] variances) {
    int n = variances[0].length;
    double[] theta = new double[n];
    java.util.ArrayDeque<double[]> inputs = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<double[]> sums = new java.util.ArrayDeque<>();
    for (int l = 0; l < stages.length; l++) {
      Stage st = stages[l];
      double[] in = variances[l];
      double[] out = variances[l + 1];
      if (st.kind >= Stage.FORK) {
        if (st.kind == Stage.FORK) {
          inputs.push(theta.clone());
          sums.push(new double[n]);
          continue;
        }
        double[] acc = sums.peek();
        for (int i = 0; i < n; i++) {
          acc[i] += theta[i];
        }
        if (st.kind == Stage.NEXT) {
          theta = inputs.peek().clone();
        } else {
          sums.pop();
          inputs.pop();
          if (!st.fanInSum) {
            for (int i = 0; i < n; i++) {
              acc[i] /= st.branches;
            }
          }
          theta = acc;
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        switch (st.kind) {
          case Stage.DENSE:
            theta[i] = st.standard ? st.inputWidth * in[i] + st.w2 * theta[i] + st.beta : out[i] + st.w2 * theta[i];
            break;
          case Stage.SCALE:
            theta[i] *= st.w2;
            break;
          case Stage.BIAS:
            theta[i] += st.b2;
            break;
          case Stage.NORM:
            theta[i] /= in[i];
            break;
          default:
            theta[i] *= st.activation.dualDerivativeOfVariance(in[i]);
        }
      }
    }
    return theta;
  }

  /**
   * s' of the pair after h' = σw·h + σb·b: s'² = σw⁴s² + σw²σb²·(q1 + q2 − 2Σ), without cancellation
   * and without overflow or underflow of the squares.
   */
  private static double affineSine(double sine, double w2, double b2, double distance) {
    double a = w2 * sine;
    if (b2 == 0) {
      return a;
    }
    double dist = Math.max(distance, 0);
    double t = a * a + w2 * b2 * dist;
    return (t < 0x1p1000 && (a > 0x1p-500 || a == 0)) ? Math.sqrt(t) : Math.hypot(a, Math.sqrt(w2 * b2 * dist));
  }

  /** Per-thread scratch space for {@link #entries}. */
  public static final class Workspace {
    final double[] sigmaIn;
    /** Scratch for the vectorized loops of a stage. */
    final double[] p;
    /** See {@link #p}. */
    final double[] q;
    /**
     * The second points' variances of a stage, copied to index 0: loops that index an array at an
     * offset (j0 + k) beside others at k are not vectorized by the JIT.
     */
    final double[] v;
    final int length;
    /** Per nesting depth of parallel branches: saved Σ, s, Θ of the fork's input and the sums of Σ, Θ. */
    final List<double[][]> frames = new ArrayList<>();

    /** Scratch for blocks of up to {@code length} entries. */
    public Workspace(int length) {
      this.length = length;
      sigmaIn = new double[length];
      p = new double[length];
      q = new double[length];
      v = new double[length];
      ArcCosine.prepareScratch(length);
    }

    double[][] frame(int depth) {
      while (frames.size() <= depth) {
        frames.add(new double[5][length]);
      }
      return frames.get(depth);
    }
  }

  /**
   * What {@link #entries} saw at each activation stage of a block: the input Σ and s of every entry
   * and the activation's Ṫ. Layer-resolved kernels (the adaptive limits) are built from it.
   */
  public static final class Trace {
    /** {@code sigma[l][k]}: Σ of entry k entering stage l (activation stages only). */
    public final double[][] sigma;
    /** {@code sine[l][k]}: s of entry k entering stage l (activation stages only). */
    public final double[][] sine;
    /** {@code derivative[l][k]}: Ṫ(Σ; q1, q2) of entry k at stage l (activation stages only). */
    public final double[][] derivative;

    /** A trace of {@code chain} for blocks of up to {@code length} entries. */
    public Trace(Chain chain, int length) {
      int depth = chain.depth();
      sigma = new double[depth][];
      sine = new double[depth][];
      derivative = new double[depth][];
      for (int l = 0; l < depth; l++) {
        if (chain.stages[l].kind == Stage.ACTIVATION) {
          sigma[l] = new double[length];
          sine[l] = new double[length];
          derivative[l] = new double[length];
        }
      }
    }
  }

  /** Runs {@link #entries(double[], double[], double[], double[][], int, double[][], int, int, Workspace, Trace)} without a trace. */
  public void entries(
      double[] sigma,
      double[] sine,
      double[] theta,
      double[][] variances1,
      int i,
      double[][] variances2,
      int j0,
      int len,
      Workspace ws) {
    entries(sigma, sine, theta, variances1, i, variances2, j0, len, ws, null);
  }

  /**
   * Runs the per-entry chain on a block of entries sharing the first point.
   *
   * <p>Besides Σ and Θ each entry carries s = √(q1·q2 − Σ²), updated without cancellation through
   * Dense layers (s'² = σw⁴·s² + σw²σb²·(q1 + q2 − 2Σ)). After an activation s is the compensated
   * determinant of the outputs, and where that has lost digits (a nearly collinear output pair,
   * s'² &lt; 10⁻⁶·T(q1)·T(q2)) the activation's own {@link Activation#outputSine} replaces it.
   *
   * @param sigma on entry the input kernel x1ᵢ·x2ⱼ/d of each entry; on return the NNGP (modified)
   * @param sine on entry s of the input kernel; on return s of the output (modified)
   * @param theta on return the NTK, or {@code null} when only the NNGP is needed (modified)
   * @param variances1 {@link #variances} of the first set
   * @param i the first point
   * @param variances2 {@link #variances} of the second set
   * @param j0 the second point of entry 0
   * @param len number of entries
   * @param ws scratch space of at least {@code len} entries
   * @param trace receives Σ, s and Ṫ at every activation stage, or {@code null} (modified)
   */
  public void entries(
      double[] sigma,
      double[] sine,
      double[] theta,
      double[][] variances1,
      int i,
      double[][] variances2,
      int j0,
      int len,
      Workspace ws,
      Trace trace) {
    if (theta != null) {
      java.util.Arrays.fill(theta, 0, len, 0.0);
    }
    int depth = -1;
    for (int l = 0; l < stages.length; l++) {
      Stage st = stages[l];
      double q1 = variances1[l][i];
      double[] q2 = variances2[l];
      if (st.kind >= Stage.FORK) {
        if (st.kind == Stage.FORK) {
          double[][] f = ws.frame(++depth);
          System.arraycopy(sigma, 0, f[0], 0, len);
          System.arraycopy(sine, 0, f[1], 0, len);
          if (theta != null) {
            System.arraycopy(theta, 0, f[2], 0, len);
          }
          java.util.Arrays.fill(f[3], 0, len, 0.0);
          java.util.Arrays.fill(f[4], 0, len, 0.0);
          continue;
        }
        double[][] f = ws.frame(depth);
        for (int k = 0; k < len; k++) {
          f[3][k] += sigma[k];
          if (theta != null) {
            f[4][k] += theta[k];
          }
        }
        if (st.kind == Stage.NEXT) {
          System.arraycopy(f[0], 0, sigma, 0, len);
          System.arraycopy(f[1], 0, sine, 0, len);
          if (theta != null) {
            System.arraycopy(f[2], 0, theta, 0, len);
          }
        } else {
          double scale = st.fanInSum ? 1 : 1.0 / st.branches;
          double t1 = variances1[l + 1][i];
          double[] t2 = variances2[l + 1];
          for (int k = 0; k < len; k++) {
            sigma[k] = st.fanInSum ? f[3][k] : f[3][k] * scale;
            if (theta != null) {
              theta[k] = st.fanInSum ? f[4][k] : f[4][k] * scale;
            }
            // The combined pair's sine from its compensated determinant.
            sine[k] = Angles.sine(t1, t2[j0 + k], sigma[k]);
          }
          depth--;
        }
        continue;
      }
      if (st.kind == Stage.SCALE) {
        scaleStage(st.w2, sigma, sine, theta, len);
      } else if (st.kind == Stage.BIAS) {
        biasStage(st.b2, q1, q2, j0, sigma, sine, theta, len);
      } else if (st.kind == Stage.NORM) {
        normStage(q1, q2, j0, sigma, sine, theta, len);
      } else if (st.isDense()) {
        denseSines(st.w2, st.b2, q1, q2, j0, sigma, sine, len, ws);
        if (theta == null) {
          denseNngp(st.w2, st.b2, sigma, len);
        } else if (st.standard) {
          denseStandard(st.w2, st.b2, st.inputWidth, st.beta, sigma, theta, len);
        } else {
          denseNtk(st.w2, st.b2, sigma, theta, len);
        }
      } else {
        // The activation reads sine (the input's); entry k is then overwritten with the output's.
        double[] sigmaIn = ws.sigmaIn;
        System.arraycopy(sigma, 0, sigmaIn, 0, len);
        Activation act = st.activation;
        if (trace == null) {
          act.applyToEntries(sigma, sine, theta, q1, q2, j0, len);
        } else {
          System.arraycopy(sigma, 0, trace.sigma[l], 0, len);
          System.arraycopy(sine, 0, trace.sine[l], 0, len);
          double[] tdot = trace.derivative[l];
          java.util.Arrays.fill(tdot, 0, len, 1.0);
          act.applyToEntries(sigma, sine, tdot, q1, q2, j0, len);
          if (theta != null) {
            for (int k = 0; k < len; k++) {
              theta[k] *= tdot[k];
            }
          }
        }
        outputSines(act, variances1[l + 1][i], variances2[l + 1], j0, sigmaIn, sigma, sine, len, ws);
      }
    }
  }

  // The loops of the stages, each a small method of its own: the JIT compiles small hot methods within
  // milliseconds of the first tiles, where one large method with all of them compiled (and was
  // recompiled on stack replacement) hundreds of milliseconds later, which a command line run paid for.

  private static void scaleStage(double c2, double[] sigma, double[] sine, double[] theta, int len) {
    for (int k = 0; k < len; k++) {
      sigma[k] *= c2;
      sine[k] *= c2;
    }
    if (theta != null) {
      for (int k = 0; k < len; k++) {
        theta[k] *= c2;
      }
    }
  }

  private static void biasStage(double b2, double q1, double[] q2, int j0, double[] sigma, double[] sine, double[] theta, int len) {
    for (int k = 0; k < len; k++) {
      sine[k] = affineSine(sine[k], 1, b2, q1 + q2[j0 + k] - 2 * sigma[k]);
      sigma[k] += b2;
    }
    if (theta != null) {
      for (int k = 0; k < len; k++) {
        theta[k] += b2;
      }
    }
  }

  private static void normStage(double q1, double[] q2, int j0, double[] sigma, double[] sine, double[] theta, int len) {
    double r1 = Math.sqrt(q1);
    for (int k = 0; k < len; k++) {
      double r = r1 * Math.sqrt(q2[j0 + k]);
      sigma[k] /= r;
      sine[k] /= r;
      if (theta != null) {
        theta[k] /= r;
      }
    }
  }

  /**
   * s' of every entry after a dense layer ({@link #affineSine}), by its operations in loops the JIT
   * vectorizes: the square roots into scratch, then one pass for the extremes of a² + w²b²·dist and of
   * a. When all are in affineSine's direct range (always, but for overflow, underflow or a = 0) the
   * square roots are its results (the same operations); otherwise affineSine runs entry by entry.
   */
  private static void denseSines(
      double w2, double b2, double q1, double[] q2, int j0, double[] sigma, double[] sine, int len, Workspace ws) {
    if (b2 == 0) {
      for (int k = 0; k < len; k++) {
        sine[k] = w2 * sine[k];
      }
      return;
    }
    double[] v = ws.v;
    double[] out = ws.p;
    System.arraycopy(q2, j0, v, 0, len);
    // With the square roots, min(2¹⁰⁰⁰ − t, a − 2⁻⁵⁰⁰) of each entry: all positive when every entry is
    // in affineSine's direct range (a NaN fails). Their minimum is a loop of its own (vectorized).
    double[] margins = ws.q;
    for (int k = 0; k < len; k++) {
      double a = w2 * sine[k];
      double t = a * a + w2 * b2 * Math.max(q1 + v[k] - 2 * sigma[k], 0);
      out[k] = Math.sqrt(t);
      margins[k] = Math.min(0x1p1000 - t, a - 0x1p-500);
    }
    if (ArcCosine.minimum(margins, len) > 0) {
      System.arraycopy(out, 0, sine, 0, len);
      return;
    }
    for (int k = 0; k < len; k++) {
      sine[k] = affineSine(sine[k], w2, b2, q1 + v[k] - 2 * sigma[k]);
    }
  }

  private static void denseNngp(double w2, double b2, double[] sigma, int len) {
    for (int k = 0; k < len; k++) {
      sigma[k] = w2 * sigma[k] + b2;
    }
  }

  private static void denseStandard(double w2, double b2, double nIn, double beta, double[] sigma, double[] theta, int len) {
    for (int k = 0; k < len; k++) {
      double s = sigma[k];
      theta[k] = nIn * s + w2 * theta[k] + beta;
      sigma[k] = w2 * s + b2;
    }
  }

  private static void denseNtk(double w2, double b2, double[] sigma, double[] theta, int len) {
    for (int k = 0; k < len; k++) {
      double s = w2 * sigma[k] + b2;
      theta[k] = s + w2 * theta[k];
      sigma[k] = s;
    }
  }

  /**
   * s of each activation output, with the activation's own route where the determinant lost digits
   * (out² &lt; 10⁻⁶·q1q2) or q1q2 is outside {@link Angles#inRange}. The determinants' square roots
   * ({@link Angles#sine}'s operations) and the extremes that decide between the routes are loops the
   * JIT vectorizes; only a block with an entry on the other route is then done entry by entry.
   */
  private static void outputSines(
      Activation act, double t1, double[] t2, int j0, double[] sigmaIn, double[] sigma, double[] sine, int len,
      Workspace ws) {
    double[] v = ws.v;
    double[] out = ws.p;
    System.arraycopy(t2, j0, v, 0, len);
    // With the square roots, min(out² − 10⁻⁶·p, p − 2⁻⁹⁰⁰, 2⁹⁰⁰ − p) of each entry (p = q1q2): none
    // negative when no entry needs the other route (a NaN fails). Their minimum is a loop of its own.
    double[] margins = ws.q;
    for (int k = 0; k < len; k++) {
      double o = Angles.directSine(t1, v[k], sigma[k]);
      out[k] = o;
      double p = t1 * v[k];
      margins[k] = Math.min(o * o - 1e-6 * p, Angles.rangeMargin(p));
    }
    if (ArcCosine.minimum(margins, len) >= 0) {
      System.arraycopy(out, 0, sine, 0, len);
      return;
    }
    for (int k = 0; k < len; k++) {
      double u2 = v[k];
      double o = out[k];
      double p = t1 * u2;
      if (o * o < 1e-6 * p || !Angles.inRange(p)) {
        o = act.outputSine(sigmaIn[k], sine[k], t1, u2, sigma[k]);
      }
      sine[k] = o;
    }
  }
}
