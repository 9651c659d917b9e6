package io.github.ntk4j.examples;

import io.github.ntk4j.Matrix;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A kernel matrix drawn as an SVG heatmap: one square per entry, white at the smallest value and
 * dark blue at the largest, with a colour bar and optional group boundaries (e.g. where the class
 * label changes in points sorted by class).
 */
final class SvgHeatmap {
  private static final int SIZE = 480;
  private static final int MARGIN = 40;
  private static final int BAR = 90;

  private SvgHeatmap() {}

  /**
   * The SVG of {@code k}.
   *
   * @param k a finite matrix, at most 400×400 (one square per entry)
   * @param boundaries indices where a new group starts (lines are drawn there); may be empty
   */
  static String render(String title, Matrix k, int[] boundaries) {
    int rows = k.rows();
    int cols = k.cols();
    if (rows == 0 || cols == 0 || rows > 400 || cols > 400) {
      throw new IllegalArgumentException("a heatmap needs 1 to 400 rows and columns, got " + rows + "x" + cols);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = k.get(i, j);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("entry (" + i + ", " + j + ") of the heatmap is " + v);
        }
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    double span = hi > lo ? hi - lo : 1;
    double cw = (double) SIZE / cols;
    double ch = (double) SIZE / rows;
    int width = MARGIN + SIZE + BAR;
    int height = MARGIN + SIZE + 20;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        width, height));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", MARGIN, SvgPlot.escape(title)));
    sb.append("<g shape-rendering=\"crispEdges\">\n");
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n",
            MARGIN + j * cw, MARGIN + i * ch, cw + 0.05, ch + 0.05, color((k.get(i, j) - lo) / span)));
      }
    }
    sb.append("</g>\n");
    for (int b : boundaries) {
      if (b > 0 && b < Math.max(rows, cols)) {
        if (b < cols) {
          sb.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"0.6\"/>%n",
              MARGIN + b * cw, MARGIN, MARGIN + b * cw, MARGIN + SIZE));
        }
        if (b < rows) {
          sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#d62728\" stroke-width=\"0.6\"/>%n",
              MARGIN, MARGIN + b * ch, MARGIN + SIZE, MARGIN + b * ch));
        }
      }
    }
    // Colour bar: ten steps from the largest value (top) to the smallest (bottom).
    int bx = MARGIN + SIZE + 16;
    for (int s = 0; s < 10; s++) {
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" fill=\"%s\"/>%n",
          bx, MARGIN + s * SIZE / 10, SIZE / 10 + 1, color(1 - (s + 0.5) / 10)));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.3g</text>%n", bx + 20, MARGIN + 10, hi));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.3g</text>%n", bx + 20, MARGIN + SIZE, lo));
    sb.append("</svg>\n");
    return sb.toString();
  }

  /** Writes the heatmap to {@code path}, complete or not at all. */
  static void write(Path path, String title, Matrix k, int[] boundaries) {
    SvgPlot.writeAtomically(path, render(title, k, boundaries));
  }

  /** White (0) to dark blue (1), linear in each channel. */
  private static String color(double t) {
    double u = Math.max(0, Math.min(1, t));
    int r = (int) Math.round(255 + u * (8 - 255));
    int g = (int) Math.round(255 + u * (48 - 255));
    int b = (int) Math.round(255 + u * (107 - 255));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }
}
