package io.github.ntk4j.examples;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX files of MNIST and Fashion-MNIST (optionally gzipped): an images file (magic
 * 0x00000803, unsigned bytes, n×rows×cols) and a labels file (magic 0x00000801, n unsigned bytes).
 */
final class Idx {
  private Idx() {}

  /**
   * Reads the first {@code limit} images and labels of a data set in {@code dir}, from the files
   * {@code prefix-images-idx3-ubyte[.gz]} and {@code prefix-labels-idx1-ubyte[.gz]} (prefix "train"
   * or "t10k"). Each image is standardized over its pixels.
   *
   * @throws UsageException naming the file when it is missing, truncated or not an IDX file
   */
  static Digits read(Path dir, String prefix, int limit) {
    return read(dir, prefix, 0, limit, false);
  }

  /**
   * Reads {@code count} images and labels starting at item {@code from}; with {@code exact}, fewer
   * than {@code count} items after {@code from} is an error naming the file (otherwise the rest is
   * read).
   *
   * @throws UsageException naming the file when it is missing, truncated, not an IDX file or too short
   */
  static Digits read(Path dir, String prefix, int from, int count, boolean exact) {
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    try (DataInputStream in = open(images); DataInputStream lb = open(labels)) {
      int n = imageCount(in, images);
      int rows = in.readInt();
      int cols = in.readInt();
      int lmagic = lb.readInt();
      if (lmagic != 0x00000801) {
        throw new UsageException(labels + ": not an IDX labels file (magic " + Integer.toHexString(lmagic) + ", expected 801)");
      }
      int nl = lb.readInt();
      if (nl != n || n < 0 || rows <= 0 || cols <= 0) {
        throw new UsageException(images + ": " + n + " images of " + rows + "x" + cols + " but " + labels + " has " + nl + " labels");
      }
      if (from > n || (exact && (long) from + count > n)) {
        throw new UsageException(
            images + ": has " + n + " images; items " + from + " to " + ((long) from + count - 1) + " were asked for");
      }
      int take = Math.min(n - from, count);
      double[][] x = new double[take][rows * cols];
      int[] y = new int[take];
      byte[] buf = new byte[rows * cols];
      in.skipNBytes((long) from * rows * cols);
      lb.skipNBytes(from);
      for (int i = 0; i < take; i++) {
        in.readFully(buf);
        for (int k = 0; k < buf.length; k++) {
          x[i][k] = buf[k] & 0xff;
        }
        x[i] = Digits.standardize(x[i]);
        y[i] = lb.readUnsignedByte();
        if (y[i] >= Digits.CLASSES) {
          throw new UsageException(labels + ": label " + y[i] + " of item " + (from + i) + " is not in 0..9");
        }
      }
      return Digits.of(x, y);
    } catch (EOFException e) {
      throw new UsageException(images + " or " + labels + ": file is truncated");
    } catch (IOException e) {
      throw new UsageException(images + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /**
   * The number of images in {@code prefix-images-idx3-ubyte[.gz]} under {@code dir}, from its header.
   *
   * @throws UsageException naming the file when it is missing or not an IDX images file
   */
  static int count(Path dir, String prefix) {
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    try (DataInputStream in = open(images)) {
      return imageCount(in, images);
    } catch (EOFException e) {
      throw new UsageException(images + ": file is truncated");
    } catch (IOException e) {
      throw new UsageException(images + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Reads the magic number (checked) and the item count at the start of an IDX images file. */
  private static int imageCount(DataInputStream in, Path images) throws IOException {
    int magic = in.readInt();
    if (magic != 0x00000803) {
      throw new UsageException(images + ": not an IDX images file (magic " + Integer.toHexString(magic) + ", expected 803)");
    }
    return in.readInt();
  }

  private static Path find(Path dir, String name) {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new UsageException(
        dir + " has neither " + name + " nor " + name + ".gz (on Debian, 'apt-get install"
            + " dataset-fashion-mnist' puts the files under /usr/share/datasets/fashion-mnist/)");
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(p));
    return new DataInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw);
  }
}
