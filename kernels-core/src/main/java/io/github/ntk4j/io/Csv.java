package io.github.ntk4j.io;

import io.github.ntk4j.Matrix;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Plain CSV matrices: no header, comma-separated decimal numbers. Rows and columns count from 0. */
final class Csv {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

  private Csv() {}

  static Matrix read(Path path) throws IOException {
    double[] data = new double[1024];
    int size = 0;
    int cols = -1;
    int row = 0;
    int pendingBlank = -1;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          if (pendingBlank < 0) {
            pendingBlank = row;
          }
          row++;
          continue;
        }
        if (pendingBlank >= 0) {
          throw new MatrixFormatException(path + ": row " + pendingBlank + " is empty");
        }
        String[] fields = line.split(",", -1);
        if (cols < 0) {
          cols = fields.length;
        } else if (fields.length != cols) {
          throw new MatrixFormatException(
              path + ": row " + row + " has " + fields.length + " values, expected " + cols + " like row 0");
        }
        if (size + cols > data.length) {
          data = Arrays.copyOf(data, Math.max(size + cols, data.length * 2));
        }
        for (int c = 0; c < cols; c++) {
          String f = fields[c].trim();
          if (NON_FINITE.matcher(f).matches()) {
            throw new MatrixFormatException(
                path + ": row " + row + ", column " + c + " is '" + f + "'; values must be finite numbers");
          }
          if (!DECIMAL.matcher(f).matches()) {
            throw new MatrixFormatException(
                path + ": row " + row + ", column " + c + ": '" + abbreviate(f) + "' is not a decimal number");
          }
          double v = Double.parseDouble(f);
          if (!Double.isFinite(v)) {
            throw MatrixFiles.notFinite(path, row, c, v);
          }
          data[size++] = v;
        }
        row++;
      }
    } catch (CharacterCodingException e) {
      throw new MatrixFormatException(path + ": not a text file (invalid UTF-8)");
    }
    if (cols < 0) {
      throw new MatrixFormatException(path + ": the file holds no rows");
    }
    return Matrix.ofRowMajor(size / cols, cols, Arrays.copyOf(data, size));
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  static void write(OutputStream out, Matrix m) throws IOException {
    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
    StringBuilder sb = new StringBuilder(m.cols() * 24);
    for (int i = 0; i < m.rows(); i++) {
      sb.setLength(0);
      for (int j = 0; j < m.cols(); j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append(m.get(i, j));
      }
      sb.append('\n');
      w.append(sb);
    }
    w.flush();
  }
}
