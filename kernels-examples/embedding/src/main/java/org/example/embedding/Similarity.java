package org.example.embedding;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.layers.Serial;

/** Similarities of points under the NTK of a one-hidden-layer ReLU network: "add the dependency and call it". */
public final class Similarity {
  /** dense(1, 0) → relu → dense(1, 0): no biases, unit weight variance. */
  public static final Serial NET = Layers.serial(Layers.dense(1.0), Layers.relu(), Layers.dense(1.0));

  private Similarity() {}

  /**
   * The NTK Θ(a_i, b_j) of {@link #NET}.
   *
   * @param a points, one per row
   * @param b points, one per row, with as many columns as {@code a}
   * @return the a.length × b.length kernel
   */
  public static double[][] ntk(double[][] a, double[][] b) {
    return Kernels.ntk(NET, Matrix.of(a), Matrix.of(b)).toArray();
  }

  /**
   * Prints the kernel of three points and the module the library was loaded from.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    double[][] x = {{1, 0}, {0, 1}, {1, 1}};
    for (double[] row : ntk(x, x)) {
      System.out.println(java.util.Arrays.toString(row));
    }
    System.out.println("ntk4j from module " + Kernels.class.getModule().getName());
  }
}
