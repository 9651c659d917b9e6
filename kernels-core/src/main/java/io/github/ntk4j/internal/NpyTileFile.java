package io.github.ntk4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code .npy} file written tile by tile at known offsets, for kernels larger than memory. It is
 * written to a hidden sibling and moved into place by {@link #commit()}; {@link #close()} without a
 * commit deletes it, so a failed or cancelled computation leaves no partial file.
 *
 * <p>Tiles may arrive from several threads in any order; for a symmetric kernel each tile is also
 * written mirrored. Each row segment is one seek and write on the writing thread's own descriptor of
 * the file: no lock is shared, so the threads' system calls run side by side (a shared descriptor
 * under a lock made the streamed 20,000² kernel take 28 s instead of 18 s, mostly in the kernel).
 */
public final class NpyTileFile implements CpuEngine.TileSink, AutoCloseable {
  private final Path target;
  private final Path tmp;
  /**
   * The header's and the creator's descriptor. Not FileChannels: an interrupt (cancellation) must
   * not close the file under other writers.
   */
  private final RandomAccessFile file;
  private final long cols;
  private final boolean f4;
  private final boolean symmetric;
  private final long dataStart;
  private boolean committed;
  private final ThreadLocal<RandomAccessFile> writers = new ThreadLocal<>();
  private final java.util.List<RandomAccessFile> opened = new java.util.ArrayList<>();
  private boolean closed;

  /**
   * Creates the temporary file and writes the header of a rows×cols array.
   *
   * @param symmetric whether tiles are mirrored (K(X, X), only upper tiles computed)
   * @param f4 float32 ({@code <f4}) rather than float64 ({@code <f8}) values
   */
  public NpyTileFile(Path target, long rows, long cols, boolean symmetric, boolean f4) throws IOException {
    this.target = target.toAbsolutePath();
    this.cols = cols;
    this.f4 = f4;
    this.symmetric = symmetric;
    this.tmp = AtomicFiles.temporarySibling(this.target);
    RandomAccessFile f = null;
    try {
      f = new RandomAccessFile(tmp.toFile(), "rw");
      byte[] header = NpyHeader.of(rows, cols, f4);
      f.write(header);
      dataStart = header.length;
      long size = dataStart + rows * cols * (f4 ? 4 : 8);
      // A disk too small fails now, not after hours of computing. (setLength below makes a sparse
      // file on most file systems: it sets the size without taking the space.)
      long usable = Files.getFileStore(tmp).getUsableSpace();
      if (usable < size) {
        throw new IOException(String.format("%s: the kernel needs %.1f GB of disk but only %.1f GB is free there",
            target, size / 1e9, usable / 1e9));
      }
      f.setLength(size);
    } catch (IOException | RuntimeException e) {
      if (f != null) {
        f.close();
      }
      Files.deleteIfExists(tmp);
      throw e;
    }
    this.file = f;
  }

  @Override
  public void tile(int i0, int m, int j0, int w, double[] values, boolean diagonalTile) {
    int element = f4 ? 4 : 8;
    ByteBuffer buf = ByteBuffer.allocate(Math.max(m, w) * element).order(ByteOrder.LITTLE_ENDIAN);
    try {
      for (int r = 0; r < m; r++) {
        int from = diagonalTile ? r : 0;
        if (from >= w) {
          continue;
        }
        buf.clear();
        for (int c = from; c < w; c++) {
          put(buf, values[r * w + c]);
        }
        write(buf, (i0 + r) * cols + j0 + from);
      }
      if (symmetric) {
        // Column c of the tile is row j0 + c of the kernel, from column i0 (strictly above the
        // diagonal only, on a diagonal tile).
        for (int c = 0; c < w; c++) {
          int count = diagonalTile ? Math.min(c, m) : m;
          if (count == 0) {
            continue;
          }
          buf.clear();
          for (int r = 0; r < count; r++) {
            put(buf, values[r * w + c]);
          }
          write(buf, (long) (j0 + c) * cols + i0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
    }
  }

  private void put(ByteBuffer buf, double v) {
    if (f4) {
      buf.putFloat((float) v);
    } else {
      buf.putDouble(v);
    }
  }

  private void write(ByteBuffer buf, long entry) throws IOException {
    RandomAccessFile own = writer();
    own.seek(dataStart + entry * (f4 ? 4 : 8));
    own.write(buf.array(), 0, buf.position());
  }

  /** This thread's own descriptor of the file: threads seek and write without a shared lock. */
  private RandomAccessFile writer() throws IOException {
    RandomAccessFile own = writers.get();
    if (own == null) {
      synchronized (opened) {
        if (closed) {
          throw new IOException("the file is closed");
        }
        own = new RandomAccessFile(tmp.toFile(), "rw");
        opened.add(own);
      }
      writers.set(own);
    }
    return own;
  }

  /** Flushes the file and moves it over the target. */
  public void commit() throws IOException {
    closeWriters();
    file.getFD().sync();
    file.close();
    AtomicFiles.commit(tmp, target);
    committed = true;
  }

  private void closeWriters() throws IOException {
    synchronized (opened) {
      closed = true;
      for (RandomAccessFile w : opened) {
        w.close();
      }
      opened.clear();
    }
  }

  /** Deletes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      closeWriters();
      file.close();
      Files.deleteIfExists(tmp);
    }
  }
}
