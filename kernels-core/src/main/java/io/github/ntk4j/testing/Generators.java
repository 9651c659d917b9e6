package io.github.ntk4j.testing;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Abs;
import io.github.ntk4j.layers.Cos;
import io.github.ntk4j.layers.Exp;
import io.github.ntk4j.layers.Gaussian;
import io.github.ntk4j.layers.Gelu;
import io.github.ntk4j.layers.Identity;
import io.github.ntk4j.layers.LeakyRelu;
import io.github.ntk4j.layers.Monomial;
import io.github.ntk4j.layers.Rbf;
import io.github.ntk4j.layers.Sign;
import io.github.ntk4j.layers.Sin;
import io.github.ntk4j.layers.Step;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Erf;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.layers.Relu;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generators of architectures, inputs and shapes for property tests, usable from any test
 * framework: every method draws from the {@link SplittableRandom} it is given, so a seed reproduces
 * a case exactly. Print the seed when a property fails.
 */
public final class Generators {
  private static final List<String> ACTIVATIONS =
      List.of(
          "relu", "abrelu", "erf", "leakyrelu", "abs", "identity", "gelu", "sin", "cos", "exp", "gaussian", "rbf", "sign",
          "step", "monomial");

  private Generators() {}

  /**
   * Shapes of a cross-kernel case: K(X1, X2) with X1 of {@code rows1} rows, X2 of {@code rows2} rows,
   * both of {@code columns} columns.
   *
   * @param rows1 rows of X1
   * @param rows2 rows of X2
   * @param columns the input dimension d
   */
  public record Shape(int rows1, int rows2, int columns) {}

  /**
   * A random shape with 1 to maxRows rows per set and 1 to maxColumns columns (d = 1 is drawn one
   * time in four).
   *
   * @param r the random source
   * @param maxRows the largest row count, ≥ 1
   * @param maxColumns the largest column count, ≥ 1
   * @return the shape
   */
  public static Shape shape(SplittableRandom r, int maxRows, int maxColumns) {
    int d = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(maxColumns);
    return new Shape(1 + r.nextInt(maxRows), 1 + r.nextInt(maxRows), d);
  }

  /**
   * A random architecture of 1 to 4 hidden layers whose activations are drawn uniformly from the named
   * kinds, with random parameters ({@link #activation(SplittableRandom, String)}).
   *
   * @param r the random source
   * @param mayEndWithActivation whether the last layer may be an activation
   * @param activations names among {@link #activationNames()} (non-empty)
   * @return the architecture
   */
  public static Layer architecture(SplittableRandom r, boolean mayEndWithActivation, java.util.Set<String> activations) {
    if (activations.isEmpty() || !ACTIVATIONS.containsAll(activations)) {
      throw new IllegalArgumentException("activations must be a non-empty subset of " + ACTIVATIONS + ", got " + activations);
    }
    List<String> names = new ArrayList<>(new java.util.TreeSet<>(activations));
    List<Layer> layers = new ArrayList<>();
    int hidden = 1 + r.nextInt(4);
    layers.add(dense(r));
    for (int h = 0; h < hidden; h++) {
      if (r.nextInt(5) > 0) {
        layers.add(activation(r, names.get(r.nextInt(names.size()))));
      }
      layers.add(dense(r));
    }
    if (mayEndWithActivation && r.nextBoolean()) {
      layers.add(activation(r, names.get(r.nextInt(names.size()))));
    }
    return new Serial(layers);
  }

  /**
   * The names of every activation with a string form, for {@link #architecture(SplittableRandom, boolean, java.util.Set)}.
   *
   * @return the names
   */
  public static List<String> activationNames() {
    return ACTIVATIONS;
  }

  /**
   * An activation of the named kind with moderate random parameters, chosen so that kernels stay
   * finite for inputs of moderate scale (exp with |b| ≤ 0.3, gaussian with b &lt; 0, monomials of
   * degree ≤ 3).
   *
   * @param r the random source
   * @param name one of {@link #activationNames()}
   * @return the activation
   */
  public static Activation activation(SplittableRandom r, String name) {
    switch (name) {
      case "relu":
        return new Relu();
      case "abrelu":
        return new AbRelu(-1.5 + 3 * r.nextDouble(), -1.5 + 3 * r.nextDouble());
      case "erf":
        return r.nextBoolean() ? new Erf() : new Erf(0.5 + r.nextDouble(), 0.3 + 1.5 * r.nextDouble(), r.nextDouble() - 0.5);
      case "leakyrelu":
        return new LeakyRelu(r.nextDouble() - 0.5);
      case "abs":
        return new Abs();
      case "identity":
        return new Identity();
      case "gelu":
        return new Gelu();
      case "sin":
        return new Sin(0.5 + r.nextDouble(), 0.3 + 1.2 * r.nextDouble(), 2 * r.nextDouble() - 1);
      case "cos":
        return new Cos(0.5 + r.nextDouble(), 0.3 + 1.2 * r.nextDouble(), 2 * r.nextDouble() - 1);
      case "exp":
        return new Exp(0.5 + r.nextDouble(), 0.6 * r.nextDouble() - 0.3);
      case "gaussian":
        return new Gaussian(0.5 + r.nextDouble(), -0.1 - 0.9 * r.nextDouble());
      case "rbf":
        return new Rbf(0.1 + 0.9 * r.nextDouble());
      case "sign":
        return new Sign();
      case "step":
        return new Step();
      case "monomial":
        return new Monomial(r.nextInt(4));
      default:
        throw new IllegalArgumentException("activation: unknown name '" + name + "'; expected one of " + ACTIVATIONS);
    }
  }

  /**
   * A dense layer with moderate random stds (bias 0 one time in four).
   *
   * @param r the random source
   * @return the layer
   */
  public static Dense dense(SplittableRandom r) {
    double w = 0.5 + 1.5 * r.nextDouble();
    double b = r.nextInt(4) == 0 ? 0 : 0.6 * r.nextDouble();
    return Layers.dense(w, b);
  }

  /**
   * A random activation: relu, abrelu or erf (the original three; {@link #activation(SplittableRandom,
   * String)} draws any kind).
   *
   * @param r the random source
   * @return the activation
   */
  public static Activation activation(SplittableRandom r) {
    return activation(r, ACTIVATIONS.get(r.nextInt(3))); // relu, abrelu, erf: the same draws as before
  }


  /**
   * A valid architecture of 1 to 4 hidden layers, ending in a Dense layer unless
   * {@code mayEndWithActivation}.
   *
   * @param r the random source
   * @param mayEndWithActivation whether the last layer may be an activation
   * @return the architecture
   */
  public static Layer architecture(SplittableRandom r, boolean mayEndWithActivation) {
    List<Layer> layers = new ArrayList<>();
    int hidden = 1 + r.nextInt(4);
    layers.add(dense(r));
    for (int h = 0; h < hidden; h++) {
      if (r.nextInt(5) > 0) {
        layers.add(activation(r));
      }
      layers.add(dense(r));
    }
    if (mayEndWithActivation && r.nextBoolean()) {
      layers.add(activation(r));
    }
    return new Serial(layers);
  }

  /**
   * An n×d input set with awkward rows mixed in: zero rows, exact duplicates and negations of earlier
   * rows, scaled copies, and rows of very different norms.
   *
   * @param r the random source
   * @param n rows
   * @param d columns
   * @return the inputs
   */
  public static Matrix inputs(SplittableRandom r, int n, int d) {
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      int kind = i < 2 ? 0 : r.nextInt(8);
      switch (kind) {
        case 1:
          x[i] = new double[d];
          break;
        case 2:
          x[i] = x[r.nextInt(i)].clone();
          break;
        case 3: {
          double[] src = x[r.nextInt(i)];
          for (int k = 0; k < d; k++) {
            x[i][k] = -src[k];
          }
          break;
        }
        case 4: {
          double[] src = x[r.nextInt(i)];
          double c = 0.1 + 5 * r.nextDouble();
          for (int k = 0; k < d; k++) {
            x[i][k] = c * src[k];
          }
          break;
        }
        default: {
          double scale = Math.pow(10, -2 + 4 * r.nextDouble());
          for (int k = 0; k < d; k++) {
            x[i][k] = scale * gaussian(r);
          }
        }
      }
    }
    return Matrix.of(x);
  }

  /**
   * n×d Gaussian rows, each with its own scale between 0.1 and 10: no collinear pairs.
   *
   * @param r the random source
   * @param n rows
   * @param d columns
   * @return the inputs
   */
  public static Matrix genericInputs(SplittableRandom r, int n, int d) {
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, -1 + 2 * r.nextDouble());
      for (int k = 0; k < d; k++) {
        x[i][k] = scale * gaussian(r);
      }
    }
    return Matrix.of(x);
  }

  /**
   * An n×d matrix of iid standard normal entries, drawn row by row with
   * {@link SplittableRandom#nextGaussian()}: plain data for benchmarks and examples.
   *
   * @param r the random source
   * @param n rows ≥ 1
   * @param d columns ≥ 1
   * @return the matrix
   */
  public static Matrix standardNormal(SplittableRandom r, int n, int d) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return Matrix.of(x);
  }

  /**
   * A standard normal sample (Box–Muller).
   *
   * @param r the random source
   * @return the sample
   */
  public static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}
