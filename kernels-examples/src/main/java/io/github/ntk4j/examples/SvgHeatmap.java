package io.github.ntk4j.examples;

import io.github.ntk4j.Matrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A kernel matrix drawn as an SVG heatmap: one pixel per entry in an embedded PNG, scaled up
 * without smoothing, white at the smallest value and dark blue at the largest, with a colour bar and
 * optional group boundaries (e.g. where the class label changes in points sorted by class). The PNG
 * keeps a 200×200 map to about 90 KB, where one SVG square per entry took 2.9 MB.
 */
final class SvgHeatmap {
  private static final int SIZE = 480;
  private static final int MARGIN = 40;
  private static final int BAR = 90;

  private SvgHeatmap() {}

  /**
   * The SVG of {@code k}.
   *
   * @param k a finite matrix, at most 400×400 (one pixel per entry)
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
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        width, height));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", MARGIN, SvgPlot.escape(title)));
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        image.setRGB(j, i, rgb((k.get(i, j) - lo) / span));
      }
    }
    sb.append(String.format(Locale.ROOT,
        "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" preserveAspectRatio=\"none\""
            + " style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,%s\"/>%n",
        MARGIN, MARGIN, SIZE, SIZE, png(image)));
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

  /** White (0) to dark blue (1), linear in each channel, as 0xRRGGBB. */
  private static int rgb(double t) {
    double u = Math.max(0, Math.min(1, t));
    int r = (int) Math.round(255 + u * (8 - 255));
    int g = (int) Math.round(255 + u * (48 - 255));
    int b = (int) Math.round(255 + u * (107 - 255));
    return (r << 16) | (g << 8) | b;
  }

  private static String color(double t) {
    return String.format(Locale.ROOT, "#%06x", rgb(t));
  }

  private static String png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("this Java runtime has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
