package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatrixFilesTest {
  @TempDir Path dir;

  private static final Matrix M = Matrix.of(new double[][] {{1.5, -2, 0.1}, {3e-300, 4e300, -0.0}});

  /** A .npy file built byte by byte, so the reader is checked against the format, not the writer. */
  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    int prefix = major == 1 ? 10 : 12;
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    return b.put(h).put(data).array();
  }

  static byte[] doubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  private Path file(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  @Test
  void readsEveryNpyVersionOrderAndWidth() throws IOException {
    String hdr = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    double[] rowMajor = {1, 2, 3, 4, 5, 6};
    for (int major : new int[] {1, 2, 3}) {
      Matrix m = MatrixFiles.read(file("v" + major + ".npy", npy(major, hdr + "\n", doubles(rowMajor))));
      assertArrayEquals(rowMajor, m.toRowMajorArray(), "version " + major);
    }
    Matrix f = MatrixFiles.read(file("f.npy", npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n", doubles(1, 4, 2, 5, 3, 6))));
    assertArrayEquals(rowMajor, f.toRowMajorArray());
    Matrix f4 = MatrixFiles.read(file("f4.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", floats(0.1f, 2, 3))));
    assertEquals(3, f4.rows());
    assertEquals(1, f4.cols());
    assertEquals((double) 0.1f, f4.get(0, 0), 0.0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }|big-endian",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }|dtype '<i8' is not supported",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 3), }|3 dimensions",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (), }|0 dimensions",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }|is empty",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }|truncated file",
        "{'descr': '<f8', 'shape': (2, 3), }|no valid 'fortran_order'",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }|malformed",
      })
  void rejectsMalformedNpyFiles(String header, String expected) throws IOException {
    Path p = file("bad.npy", npy(1, header + "\n", doubles(1, 2, 3, 4, 5, 6)));
    MatrixFormatException e = assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(p));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
  }

  @Test
  void rejectsNanInNpyAndBadMagic() throws IOException {
    Path nan = file("nan.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }\n", doubles(1, 2, Double.NaN, 4)));
    assertTrue(assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(nan)).getMessage().contains("row 1, column 0 is NaN"));
    Path magic = file("magic.npy", "not a numpy file at all".getBytes(StandardCharsets.US_ASCII));
    assertTrue(assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(magic)).getMessage().contains("bad magic"));
    Path tiny = file("tiny.npy", new byte[] {(byte) 0x93, 'N'});
    assertTrue(assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(tiny)).getMessage().contains("ends inside"));
    assertThrows(NoSuchFileException.class, () -> MatrixFiles.read(dir.resolve("missing.npy")));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void namesTheRowAndColumnOfANonFiniteValueAnywhereInALargeNpy(long seed) throws IOException {
    // Files far larger than one check block (2^14 entries), with the bad value at a random place,
    // in C and Fortran order: the message names its row and column in the matrix.
    SplittableRandom r = new SplittableRandom(seed);
    int rows = 150 + r.nextInt(300);
    int cols = 100 + r.nextInt(200);
    int badRow = r.nextInt(rows);
    int badCol = r.nextInt(cols);
    double bad = r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
    boolean fortran = r.nextBoolean();
    double[] values = new double[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.nextGaussian();
    }
    values[fortran ? badCol * rows + badRow : badRow * cols + badCol] = bad;
    String hdr = "{'descr': '<f8', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + rows + ", " + cols + "), }\n";
    Path p = file("large.npy", npy(1, hdr, doubles(values)));
    MatrixFormatException e = assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(p));
    assertTrue(e.getMessage().contains("row " + badRow + ", column " + badCol + " is " + bad),
        "seed " + seed + ": " + e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'1,2\n3\n'|row 1 has 1 values, expected 2",
        "'1,2\n3,NaN\n'|row 1, column 1 is 'NaN'",
        "'1,inf\n'|row 0, column 1 is 'inf'",
        "'1,0x10\n'|'0x10' is not a decimal number",
        "'1,2d\n'|'2d' is not a decimal number",
        "'1,,2\n'|row 0, column 1: '' is not a decimal number",
        "''|holds no rows",
        "'1,2\n\n3,4\n'|row 1 is empty",
        "'a,b\n'|'a' is not a decimal number",
      })
  void rejectsMalformedCsvFiles(String content, String expected) throws IOException {
    Path p = file("bad.csv", content.getBytes(StandardCharsets.UTF_8));
    MatrixFormatException e = assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(p));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void csvAcceptsSpacesCrlfAndATrailingBlankLine() throws IOException {
    Matrix m = MatrixFiles.read(file("ok.csv", " 1.5 , -2e-3\r\n+3,.5\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(new double[] {1.5, -2e-3, 3, 0.5}, m.toRowMajorArray());
  }

  @Test
  void writesRoundTripExactly() throws IOException {
    for (String name : new String[] {"m.npy", "m.csv"}) {
      Path p = dir.resolve(name);
      MatrixFiles.write(p, M, Precision.FLOAT64);
      assertEquals(M, MatrixFiles.read(p), name);
    }
    Path p32 = dir.resolve("m32.npy");
    MatrixFiles.write(p32, Matrix.of(new double[][] {{0.1, 2}}), Precision.FLOAT32);
    byte[] bytes = Files.readAllBytes(p32);
    assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("'descr': '<f4'"));
    assertEquals((double) 0.1f, MatrixFiles.read(p32).get(0, 0), 0.0);
  }

  @Test
  void npyHeadersAreAlignedAsNumpyWritesThem() throws IOException {
    Path p = dir.resolve("a.npy");
    MatrixFiles.write(p, M, Precision.FLOAT64);
    byte[] b = Files.readAllBytes(p);
    int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLen) % 64);
    assertEquals('\n', b[10 + headerLen - 1]);
    assertEquals(10 + headerLen + 8 * 6, b.length);
  }

  @Test
  void outputsGetTheUsualPermissionsNotOwnerOnly() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path reference = Files.createFile(dir.resolve("reference.txt"));
    Path out = dir.resolve("k.npy");
    MatrixFiles.write(out, M, Precision.FLOAT64);
    assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(out));
  }

  @Test
  void failedWritesLeaveNothingBehind() throws IOException {
    assertThrows(MatrixFormatException.class, () -> MatrixFiles.write(dir.resolve("m.txt"), M, Precision.FLOAT64));
    assertThrows(NoSuchFileException.class, () -> MatrixFiles.write(dir.resolve("no/such/dir/m.npy"), M, Precision.FLOAT64));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count());
    }
    assertThrows(MatrixFormatException.class, () -> MatrixFiles.read(file("x.json", new byte[0])));
    // A directory named like an output is refused, not replaced.
    Path d = Files.createDirectory(dir.resolve("taken.npy"));
    assertTrue(assertThrows(MatrixFormatException.class, () -> MatrixFiles.write(d, M, Precision.FLOAT64))
        .getMessage().contains("is a directory"));
    assertTrue(Files.isDirectory(d));
  }
}
