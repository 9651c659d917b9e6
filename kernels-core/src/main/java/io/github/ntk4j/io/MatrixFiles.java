package io.github.ntk4j.io;

import io.github.ntk4j.internal.AtomicFiles;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads and writes matrices as {@code .npy} or {@code .csv} files, chosen by extension
 * (shared/specs/cli.md, "Matrix files").
 *
 * <ul>
 *   <li>{@code .npy}: NumPy format versions 1.0, 2.0 and 3.0, a 2-D array (a 1-D array is read as
 *       one column), little-endian float64 ({@code <f8}) or float32 ({@code <f4}), C or Fortran
 *       order.
 *   <li>{@code .csv}: no header, comma-separated decimal numbers, one row per line, every row the
 *       same length.
 * </ul>
 *
 * Reading rejects NaN and infinite values, naming the row and column. Writing is atomic: the data
 * goes to a temporary file in the target's directory that is then renamed, so the output appears
 * complete or not at all.
 */
public final class MatrixFiles {
  private MatrixFiles() {}

  /**
   * Reads a matrix.
   *
   * @param path a {@code .npy} or {@code .csv} file
   * @return the matrix
   * @throws MatrixFormatException when the extension is unknown or the content is malformed, empty,
   *     or holds NaN or infinite values
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws IOException on other read failures
   */
  public static Matrix read(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return switch (extension(path)) {
      case "npy" -> Npy.read(path);
      case "csv" -> Csv.read(path);
      default -> throw unknownExtension(path);
    };
  }

  /**
   * Writes a matrix atomically.
   *
   * @param path a {@code .npy} or {@code .csv} file; replaced if it exists
   * @param m the matrix (not modified)
   * @param precision {@link Precision#FLOAT32} writes {@code <f4} to {@code .npy} files; {@code .csv}
   *     files always hold the double values
   * @throws MatrixFormatException when the extension is unknown
   * @throws IOException on write failures; no partial file is left behind
   */
  public static void write(Path path, Matrix m, Precision precision) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(m, "m");
    Objects.requireNonNull(precision, "precision");
    checkWritable(path);
    String ext = extension(path);
    Path abs = path.toAbsolutePath();
    // createFile (unlike createTempFile, which makes owner-only files) gives the output the usual
    // permissions of the user's umask.
    Path tmp = AtomicFiles.temporarySibling(abs);
    boolean done = false;
    try {
      if (ext.equals("npy")) {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          Npy.write(ch, m, precision);
        }
      } else {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          Csv.write(out, m);
        }
      }
      AtomicFiles.commit(tmp, abs);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Checks, before any work, that {@link #write} can write {@code path}: a {@code .npy} or
   * {@code .csv} extension, an existing directory, and not a directory itself.
   *
   * @param path the output file
   * @throws MatrixFormatException when the extension is unknown or the path is a directory
   * @throws java.nio.file.NoSuchFileException when the directory does not exist
   */
  public static void checkWritable(Path path) throws java.nio.file.NoSuchFileException {
    Objects.requireNonNull(path, "path");
    String ext = extension(path);
    if (!ext.equals("npy") && !ext.equals("csv")) {
      throw unknownExtension(path);
    }
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "the output directory does not exist");
    }
    if (Files.isDirectory(path)) {
      throw new MatrixFormatException(path + " is a directory; expected a file name");
    }
  }

  private static String extension(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static MatrixFormatException unknownExtension(Path path) {
    return new MatrixFormatException(
        path + ": unknown file type; expected a .npy or .csv extension");
  }

  static MatrixFormatException notFinite(Path path, int row, int col, double v) {
    return new MatrixFormatException(
        path + ": row " + row + ", column " + col + " is " + v + "; values must be finite numbers");
  }
}
