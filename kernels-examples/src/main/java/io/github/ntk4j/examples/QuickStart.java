package io.github.ntk4j.examples;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;

/** The README's Java example, compiled and run by the tests so that it stays correct. */
public final class QuickStart {
  private QuickStart() {}

  /** Prints the NNGP and NTK of a one-hidden-layer ReLU network on three points. */
  public static void main(String[] args) {
    // snippet:quickstart
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    Matrix x = Matrix.of(new double[][] {{1, 2, 0}, {0, 1, -1}, {3, 0, 1}});
    Matrix y = Matrix.of(new double[][] {{1, 1, 1}, {-2, 0, 1}});
    // K(x_i, y_j) for every row i of x and j of y; pass null for y to get K(x, x).
    KernelResult k = Kernels.compute(net, x, y, EnumSet.of(KernelKind.NNGP, KernelKind.NTK));
    System.out.println("NNGP " + k.nngp());
    System.out.println("NTK  " + k.ntk());
    System.out.println("ntk(x_0, y_1) = " + k.ntk().get(0, 1));
    System.out.println(k.provenance());
    // end-snippet
  }
}
