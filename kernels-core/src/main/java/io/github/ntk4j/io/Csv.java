package io.github.ntk4j.io;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
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
        int col = 0;
        int pos = 0;
        int len = line.length();
        while (true) {
          int comma = line.indexOf(',', pos);
          int end = comma < 0 ? len : comma;
          if (cols >= 0 && col >= cols) {
            throw new MatrixFormatException(
                path + ": row " + row + " has " + (line.split(",", -1).length) + " values, expected " + cols + " like row 0");
          }
          if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
          }
          data[size++] = parse(path, row, col, line, pos, end);
          col++;
          if (comma < 0) {
            break;
          }
          pos = comma + 1;
        }
        if (cols < 0) {
          cols = col;
        } else if (col != cols) {
          throw new MatrixFormatException(
              path + ": row " + row + " has " + col + " values, expected " + cols + " like row 0");
        }
        row++;
      }
    } catch (CharacterCodingException e) {
      throw new MatrixFormatException(path + ": not a text file (invalid UTF-8)");
    }
    if (cols < 0) {
      throw new MatrixFormatException(path + ": the file holds no rows");
    }
    return MatrixBridge.wrapFinite(size / cols, cols, Arrays.copyOf(data, size)); // every value was checked
  }

  /**
   * Parses line[from, to) (surrounding spaces allowed) as a decimal number:
   * [+-]digits[.digits][(e|E)[+-]digits], with digits on at least one side of the point. Anything
   * else, including NaN, infinities, hexadecimal and suffixed forms, is refused with its position.
   */
  private static double parse(Path path, int row, int col, String line, int from, int to) {
    int a = from;
    int b = to;
    while (a < b && Character.isWhitespace(line.charAt(a))) {
      a++;
    }
    while (b > a && Character.isWhitespace(line.charAt(b - 1))) {
      b--;
    }
    int i = a;
    if (i < b && (line.charAt(i) == '+' || line.charAt(i) == '-')) {
      i++;
    }
    int intDigits = 0;
    while (i < b && isDigit(line.charAt(i))) {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < b && line.charAt(i) == '.') {
      i++;
      while (i < b && isDigit(line.charAt(i))) {
        i++;
        fracDigits++;
      }
    }
    boolean ok = intDigits + fracDigits > 0;
    if (ok && i < b && (line.charAt(i) == 'e' || line.charAt(i) == 'E')) {
      i++;
      if (i < b && (line.charAt(i) == '+' || line.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < b && isDigit(line.charAt(i))) {
        i++;
        expDigits++;
      }
      ok = expDigits > 0;
    }
    String field = line.substring(a, b);
    if (!ok || i != b) {
      if (NON_FINITE.matcher(field).matches()) {
        throw new MatrixFormatException(
            path + ": row " + row + ", column " + col + " is '" + field + "'; values must be finite numbers");
      }
      throw new MatrixFormatException(
          path + ": row " + row + ", column " + col + ": '" + abbreviate(field) + "' is not a decimal number");
    }
    double v = Double.parseDouble(field);
    if (!Double.isFinite(v)) {
      throw MatrixFiles.notFinite(path, row, col, v);
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
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
