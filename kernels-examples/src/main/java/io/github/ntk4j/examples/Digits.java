package io.github.ntk4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The UCI optical recognition of handwritten digits data (E. Alpaydin, C. Kaynak; CC BY 4.0): 1,797
 * 8x8 images with pixel counts 0..16, embedded in the jar. Each image is standardized to zero mean
 * and unit variance over its 64 pixels.
 */
final class Digits {
  static final int CLASSES = 10;

  final double[][] images;
  final int[] labels;

  /** Labelled images (already standardized) from another source, e.g. {@link Idx}. */
  static Digits of(double[][] images, int[] labels) {
    return new Digits(images, labels);
  }

  private Digits(double[][] images, int[] labels) {
    this.images = images;
    this.labels = labels;
  }

  static Digits load() {
    String res = "/io/github/ntk4j/examples/digits.csv.gz";
    try (InputStream raw = Digits.class.getResourceAsStream(res)) {
      if (raw == null) {
        throw new IllegalStateException("embedded dataset " + res + " is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
      List<double[]> xs = new ArrayList<>();
      List<Integer> ys = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        double[] x = new double[f.length - 1];
        for (int k = 0; k < x.length; k++) {
          x[k] = Double.parseDouble(f[k]);
        }
        xs.add(standardize(x));
        ys.add((int) Double.parseDouble(f[f.length - 1]));
      }
      return new Digits(xs.toArray(new double[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[] standardize(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / x.length);
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = sd > 0 ? (x[k] - mean) / sd : 0;
    }
    return out;
  }

  /** A fixed permutation of the indices (java.util.Random with seed 0 is the same on every JVM). */
  int[] shuffledIndices() {
    int[] idx = new int[labels.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Random rnd = new Random(0);
    for (int i = idx.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  /** One-hot targets minus 0.1 (mean zero over the 10 classes), one row per label. */
  static double[][] oneHot(int[] labels) {
    double[][] y = new double[labels.length][CLASSES];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < CLASSES; c++) {
        y[i][c] = (c == labels[i] ? 1.0 : 0.0) - 0.1;
      }
    }
    return y;
  }

  /** The fraction of rows whose largest output is at the label's column (ties go to the first). */
  static double accuracy(io.github.ntk4j.Matrix outputs, int[] labels) {
    return accuracy(outputs, 0, labels);
  }

  /** {@link #accuracy(io.github.ntk4j.Matrix, int[])} of rows {@code from}, … of the outputs. */
  static double accuracy(io.github.ntk4j.Matrix outputs, int from, int[] labels) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < outputs.cols(); c++) {
        if (outputs.get(from + i, c) > outputs.get(from + i, best)) {
          best = c;
        }
      }
      correct += best == labels[i] ? 1 : 0;
    }
    return (double) correct / labels.length;
  }

  /** Mean squared error per entry of rows {@code from}, … of the outputs against {@link #oneHot} targets. */
  static double meanSquaredError(io.github.ntk4j.Matrix outputs, int from, int[] labels) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < outputs.cols(); c++) {
        double e = outputs.get(from + i, c) - ((c == labels[i] ? 1.0 : 0.0) - 0.1);
        sum += e * e;
      }
    }
    return sum / ((double) labels.length * outputs.cols());
  }

  /** The images and labels at {@code idx[from]}, …, {@code idx[from + count − 1]}. */
  Digits subset(int[] idx, int from, int count) {
    double[][] x = new double[count][];
    int[] y = new int[count];
    for (int i = 0; i < count; i++) {
      x[i] = images[idx[from + i]];
      y[i] = labels[idx[from + i]];
    }
    return new Digits(x, y);
  }
}
