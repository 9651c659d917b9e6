package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.internal.Chain;
import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Abs;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Erf;
import io.github.ntk4j.layers.Identity;
import io.github.ntk4j.layers.LeakyRelu;
import io.github.ntk4j.layers.Relu;
import java.util.List;

/**
 * A chain encoded for the device kernel ({@code kernels.cl}): a stage kind per stage and four
 * parameters each. Layers without a device form make {@link #encode} return null; such chains run
 * on the host with the Gram product on the device.
 *
 * @param kinds stage kinds (Chain.Kind ordinals, DENSE_STANDARD = 8 for standard-parameterized Dense)
 * @param params four parameters per stage
 * @param hostOnly the first stage without a device form, or null when every stage has one
 */
record StageCode(int[] kinds, double[] params, String hostOnly) {
  static final int DENSE_STANDARD = 8;
  static final int ACT_PIECEWISE = 1;
  static final int ACT_IDENTITY = 2;
  static final int ACT_ERF = 3;
  /** Deepest nesting of parallel blocks the kernel's save slots hold (MAX_NESTING in kernels.cl). */
  static final int MAX_NESTING = 4;

  static StageCode encode(Chain chain) {
    List<Chain.StageView> stages = chain.stages();
    int[] kinds = new int[stages.size()];
    double[] p = new double[4 * stages.size()];
    int nesting = 0;
    for (int l = 0; l < stages.size(); l++) {
      Chain.StageView st = stages.get(l);
      kinds[l] = st.kind().ordinal();
      switch (st.kind()) {
        case DENSE -> {
          p[4 * l] = st.w2();
          p[4 * l + 1] = st.b2();
          if (st.standard()) {
            kinds[l] = DENSE_STANDARD;
            p[4 * l + 2] = st.inputWidth();
            p[4 * l + 3] = st.beta();
          }
        }
        case SCALE -> p[4 * l] = st.w2();
        case BIAS -> p[4 * l + 1] = st.b2();
        case NORM -> { }
        case FORK -> {
          if (++nesting > MAX_NESTING) {
            return new StageCode(kinds, p, st.name() + " (parallel blocks nested deeper than " + MAX_NESTING + ")");
          }
        }
        case NEXT, JOIN -> {
          p[4 * l] = st.fanInSum() ? 1 : 0;
          p[4 * l + 1] = st.branches();
          if (st.kind() == Chain.Kind.JOIN) {
            nesting--;
          }
        }
        case ACTIVATION -> {
          if (!activation(st.activation(), p, 4 * l)) {
            return new StageCode(kinds, p, st.name());
          }
        }
        default -> throw new IllegalStateException("unknown stage kind " + st.kind());
      }
    }
    return new StageCode(kinds, p, null);
  }

  /** Writes the device code of {@code a}; false when it has none. */
  private static boolean activation(Activation a, double[] p, int at) {
    if (a instanceof Relu) {
      piecewise(p, at, 0, 1);
    } else if (a instanceof AbRelu r) {
      piecewise(p, at, r.a(), r.b());
    } else if (a instanceof LeakyRelu r) {
      piecewise(p, at, r.alpha(), 1);
    } else if (a instanceof Abs) {
      piecewise(p, at, -1, 1);
    } else if (a instanceof Identity) {
      p[at] = ACT_IDENTITY;
    } else if (a instanceof Erf e) {
      p[at] = ACT_ERF;
      p[at + 1] = e.a();
      p[at + 2] = e.b();
      p[at + 3] = e.c();
    } else {
      return false;
    }
    return true;
  }

  private static void piecewise(double[] p, int at, double a, double b) {
    p[at] = ACT_PIECEWISE;
    p[at + 1] = a;
    p[at + 2] = b;
  }
}
