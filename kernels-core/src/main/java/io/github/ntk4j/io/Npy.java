package io.github.ntk4j.io;

import io.github.ntk4j.internal.NpyHeader;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.internal.MatrixBridge;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy {@code .npy} files, format versions 1.0 to 3.0 (numpy.lib.format). */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  static Matrix read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, pre, path, "the header");
      pre.flip();
      for (byte b : MAGIC) {
        if (pre.get() != b) {
          throw new MatrixFormatException(path + ": not a .npy file (bad magic string)");
        }
      }
      int major = pre.get() & 0xff;
      int minor = pre.get() & 0xff;
      long headerLen;
      int prefix;
      if (major == 1) {
        headerLen = pre.getShort() & 0xffff;
        prefix = 10;
      } else if (major == 2 || major == 3) {
        headerLen = pre.getInt() & 0xffffffffL;
        prefix = 12;
      } else {
        throw new MatrixFormatException(
            path + ": .npy format version " + major + "." + minor + " is not supported (1.0 to 3.0 are)");
      }
      if (prefix + headerLen > fileSize || headerLen > 1 << 24) {
        throw new MatrixFormatException(path + ": truncated .npy header");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      ch.position(prefix);
      readFully(ch, hb, path, "the header");
      String header =
          new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      String descr = group(DESCR, header, path, "descr");
      boolean fortran = group(FORTRAN, header, path, "fortran_order").equals("True");
      String shapeText = group(SHAPE, header, path, "shape").trim();
      int[] shape = parseShape(shapeText, path);
      int itemSize;
      switch (descr) {
        case "<f8":
          itemSize = 8;
          break;
        case "<f4":
          itemSize = 4;
          break;
        case ">f8":
        case ">f4":
          throw new MatrixFormatException(
              path + ": big-endian data ('" + descr + "') is not supported; save it as little-endian <f8 or <f4");
        default:
          throw new MatrixFormatException(
              path + ": dtype '" + descr + "' is not supported; expected little-endian float64 (<f8) or float32 (<f4)");
      }
      int rows = shape[0];
      int cols = shape[1];
      long count = (long) rows * cols;
      if (count > Integer.MAX_VALUE - 16) {
        throw new MatrixFormatException(path + ": " + rows + "x" + cols + " is too large for one matrix");
      }
      long expected = count * itemSize;
      long available = fileSize - prefix - headerLen;
      if (available != expected) {
        throw new MatrixFormatException(
            path + ": data holds " + available + " bytes, expected " + expected + " for shape ("
                + rows + ", " + cols + ") of " + descr + (available < expected ? " (truncated file)" : ""));
      }
      double[] data = new double[(int) count];
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      float[] floats = itemSize == 4 ? new float[buf.capacity() / 4] : null;
      int idx = 0;
      while (idx < count) {
        buf.clear();
        long remaining = (count - idx) * itemSize;
        if (remaining < buf.capacity()) {
          buf.limit((int) remaining);
        }
        readFully(ch, buf, path, "the data");
        buf.flip();
        int items = buf.remaining() / itemSize;
        if (itemSize == 8) {
          buf.asDoubleBuffer().get(data, idx, items);
        } else {
          buf.asFloatBuffer().get(floats, 0, items);
          for (int k = 0; k < items; k++) {
            data[idx + k] = floats[k];
          }
        }
        idx += items;
      }
      double[] rowMajor = data;
      if (fortran && rows > 1 && cols > 1) {
        rowMajor = new double[data.length];
        for (int j = 0; j < cols; j++) {
          for (int i = 0; i < rows; i++) {
            rowMajor[i * cols + j] = data[j * rows + i];
          }
        }
      }
      int k = MatrixBridge.firstNonFinite(rowMajor);
      if (k >= 0) {
        throw MatrixFiles.notFinite(path, k / cols, k % cols, rowMajor[k]);
      }
      return MatrixBridge.wrapFinite(rows, cols, rowMajor);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, Path path, String what) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new MatrixFormatException(path + ": file ends inside " + what);
      }
    }
  }

  private static String group(Pattern p, String header, Path path, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new MatrixFormatException(path + ": .npy header has no valid '" + key + "' entry");
    }
    return m.group(1);
  }

  private static int[] parseShape(String text, Path path) {
    String[] parts = text.split(",");
    int n = 0;
    int[] dims = new int[parts.length];
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        if (v < 0 || v > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        dims[n++] = (int) v;
      } catch (NumberFormatException e) {
        throw new MatrixFormatException(path + ": .npy shape (" + text + ") is malformed");
      }
    }
    if (n == 1) {
      dims = new int[] {dims[0], 1};
    } else if (n != 2) {
      throw new MatrixFormatException(
          path + ": .npy array has " + n + " dimensions; expected a 2-D array (or 1-D, read as one column)");
    }
    if (dims[0] == 0 || dims[1] == 0) {
      throw new MatrixFormatException(path + ": .npy array of shape (" + text + ") is empty");
    }
    return new int[] {dims[0], dims[1]};
  }

  static void write(FileChannel ch, Matrix m, Precision precision) throws IOException {
    boolean f4 = precision == Precision.FLOAT32;
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(NpyHeader.of(m.rows(), m.cols(), f4));
    buf.flip();
    writeFully(ch, buf);
    double[] data = MatrixBridge.data(m);
    int per = buf.capacity() / (f4 ? 4 : 8);
    float[] floats = f4 ? new float[per] : null;
    for (int start = 0; start < data.length; start += per) {
      int len = Math.min(per, data.length - start);
      buf.clear();
      if (f4) {
        for (int k = 0; k < len; k++) {
          floats[k] = (float) data[start + k];
        }
        buf.asFloatBuffer().put(floats, 0, len);
        buf.limit(len * 4);
      } else {
        buf.asDoubleBuffer().put(data, start, len);
        buf.limit(len * 8);
      }
      writeFully(ch, buf);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
