package io.github.ntk4j;

import io.github.ntk4j.internal.MatrixBridge;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable dense matrix of {@code double} values, stored row by row.
 *
 * <p>Every factory copies the caller's arrays and every accessor that returns an array returns a
 * copy, so a {@code Matrix} can be shared freely between threads. Equality is entry-by-entry
 * bitwise equality ({@link Double#compare}), so {@code NaN} equals {@code NaN} and {@code 0.0} differs
 * from {@code -0.0}.
 */
public final class Matrix {
  static {
    MatrixBridge.install(new MatrixBridge.Access() {
      @Override
      public Matrix wrap(int rows, int cols, double[] rowMajor) {
        return new Matrix(rows, cols, rowMajor);
      }

      @Override
      public double[] data(Matrix m) {
        return m.data;
      }

      @Override
      public boolean knownFinite(Matrix m) {
        return m.finite;
      }

      @Override
      public void markFinite(Matrix m) {
        m.finite = true;
      }
    });
  }

  private final int rows;
  private final int cols;
  private final double[] data;
  /**
   * Set once every entry is known to be finite (checked by a reader or a validation), so that the
   * same check is not repeated on every call: a cache of a property of the immutable data.
   */
  private volatile boolean finite;

  private Matrix(int rows, int cols, double[] data) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * A matrix holding a copy of {@code values}.
   *
   * @param values rows of equal length; not modified
   * @return the matrix
   * @throws IllegalArgumentException if {@code values} is empty or ragged
   */
  public static Matrix of(double[][] values) {
    Objects.requireNonNull(values, "values");
    if (values.length == 0) {
      throw new IllegalArgumentException("values: expected at least one row, got 0");
    }
    int c = Objects.requireNonNull(values[0], "values[0]").length;
    if (c == 0) {
      throw new IllegalArgumentException("values: expected at least one column, got 0");
    }
    double[] d = new double[Math.multiplyExact(values.length, c)];
    for (int i = 0; i < values.length; i++) {
      double[] row = Objects.requireNonNull(values[i], () -> "values[" + values.length + "]");
      if (row.length != c) {
        throw new IllegalArgumentException(
            "values: row " + i + " has " + row.length + " columns, expected " + c + " like row 0");
      }
      System.arraycopy(row, 0, d, i * c, c);
    }
    return new Matrix(values.length, c, d);
  }

  /**
   * A matrix holding a copy of {@code rowMajor}, read row by row.
   *
   * @param rows number of rows, at least 1
   * @param cols number of columns, at least 1
   * @param rowMajor {@code rows * cols} values, entry (i, j) at index {@code i * cols + j}; not
   *     modified
   * @return the matrix
   * @throws IllegalArgumentException if the sizes do not match
   */
  public static Matrix ofRowMajor(int rows, int cols, double[] rowMajor) {
    Objects.requireNonNull(rowMajor, "rowMajor");
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "rows and cols: expected at least 1 each, got " + rows + "x" + cols);
    }
    if ((long) rows * cols != rowMajor.length) {
      throw new IllegalArgumentException(
          "rowMajor: expected " + ((long) rows * cols) + " values for " + rows + "x" + cols
              + ", got " + rowMajor.length);
    }
    return new Matrix(rows, cols, rowMajor.clone());
  }

  /**
   * Number of rows.
   *
   * @return the number of rows
   */
  public int rows() {
    return rows;
  }

  /**
   * Number of columns.
   *
   * @return the number of columns
   */
  public int cols() {
    return cols;
  }

  /**
   * Entry (i, j).
   *
   * @param i the row, from 0
   * @param j the column, from 0
   * @return the entry
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public double get(int i, int j) {
    Objects.checkIndex(i, rows);
    Objects.checkIndex(j, cols);
    return data[i * cols + j];
  }

  /**
   * A copy of row {@code i}.
   *
   * @param i the row, from 0
   * @return a new array of {@link #cols()} entries
   */
  public double[] row(int i) {
    Objects.checkIndex(i, rows);
    return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
  }

  /**
   * A copy of the entries as an array of rows.
   *
   * @return a new {@link #rows()}×{@link #cols()} array
   */
  public double[][] toArray() {
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }
    return out;
  }

  /**
   * A copy of the entries row by row, entry (i, j) at index {@code i * cols() + j}.
   *
   * @return a new array of rows()·cols() entries
   */
  public double[] toRowMajorArray() {
    return data.clone();
  }

  /**
   * The transpose, as a new matrix.
   *
   * @return the cols()×rows() transpose
   */
  public Matrix transpose() {
    double[] t = new double[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = data[i * cols + j];
      }
    }
    return new Matrix(cols, rows, t);
  }

  /**
   * The largest absolute entry ({@code NaN} if any entry is {@code NaN}).
   *
   * @return max |a_ij|, 0 for an empty matrix
   */
  public double maxAbs() {
    double m = 0;
    for (double v : data) {
      if (Double.isNaN(v)) {
        return Double.NaN;
      }
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  /** A short description: the shape, and the entries when there are at most 36 of them. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Matrix[").append(rows).append('x').append(cols);
    if (data.length <= 36) {
      sb.append(' ').append(Arrays.deepToString(toArray()));
    }
    return sb.append(']').toString();
  }
}
