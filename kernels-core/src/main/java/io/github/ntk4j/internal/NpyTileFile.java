package io.github.ntk4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code .npy} file written tile by tile at known offsets, for kernels larger than memory. It is
 * written to a hidden sibling and moved into place by {@link #commit()}; {@link #close()} without a
 * commit deletes it, so a failed or cancelled computation leaves no partial file.
 *
 * <p>Tiles may arrive from several threads in any order; for a symmetric kernel each tile is also
 * written mirrored. The tiles of a band of rows are assembled in memory (within a budget) and the
 * band is written one row at a time when its last tile arrives; the mirrored parts, and bands beyond
 * the budget, are written segment by segment as they come. Each write is one seek and write on the
 * writing thread's own descriptor of the file: no lock is shared, so the threads' system calls run
 * side by side (a shared descriptor under a lock made the streamed 20,000² kernel take 28 s instead
 * of 18 s, mostly in the kernel; assembling the bands took it from 27.6 s to 22.2 s, median of 3).
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
  /** Per band's first row: its {@link Band} while assembled, then {@link #WRITTEN}; or {@link #DIRECT}. */
  private final Map<Integer, Object> bands = new ConcurrentHashMap<>();
  /** Bytes of the bands being assembled; guarded by {@link #bands}. */
  private long openBandBytes;
  /**
   * At most this many bytes of bands are assembled at once (256 MB, or an eighth of the heap still
   * free when the file is made); beyond, tiles are written row by row.
   */
  private final long bandBudget;
  private final java.util.List<RandomAccessFile> opened = new java.util.ArrayList<>();
  private boolean closed;

  /**
   * Creates the temporary file and writes the header of a rows×cols array.
   *
   * @param symmetric whether tiles are mirrored (K(X, X), only upper tiles computed)
   * @param f4 float32 ({@code <f4}) rather than float64 ({@code <f8}) values
   */
  public NpyTileFile(Path target, long rows, long cols, boolean symmetric, boolean f4) throws IOException {
    this(target, rows, cols, symmetric, f4, Math.min(256L << 20, CpuEngine.availableHeap() / 8));
  }

  /** As the public constructor, assembling at most {@code bandBudget} bytes of bands at once (tests). */
  NpyTileFile(Path target, long rows, long cols, boolean symmetric, boolean f4, long bandBudget) throws IOException {
    this.bandBudget = bandBudget;
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
      AtomicFiles.requireSpace(tmp, target, size);
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
      Band band = band(i0, m);
      if (band != null) {
        band.add(j0, w, values, diagonalTile);
      } else {
        writeRows(i0, m, j0, w, values, diagonalTile, buf);
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

  /**
   * Writes rows [i0, i0 + m) of a block of {@code w} columns from column j0, each from its column
   * {@code r} on when {@code fromDiagonal} (row r of a block that starts on the diagonal), else whole.
   */
  private void writeRows(int i0, int m, long j0, int w, double[] values, boolean fromDiagonal, ByteBuffer buf)
      throws IOException {
    for (int r = 0; r < m; r++) {
      int from = fromDiagonal ? r : 0;
      if (from >= w) {
        continue;
      }
      buf.clear();
      for (int c = from; c < w; c++) {
        put(buf, values[r * w + c]);
      }
      write(buf, (i0 + r) * cols + j0 + from);
    }
  }

  /**
   * The band of rows [i0, i0 + m) being assembled, or null when its tiles are written row by row: a
   * band is assembled when the bands open at its first tile leave room for it in the budget, and
   * keeps the choice made then.
   */
  private Band band(int i0, int m) {
    Object b = bands.get(i0);
    if (b == null) {
      synchronized (bands) {
        b = bands.get(i0);
        if (b == null) {
          long width = cols - (symmetric ? i0 : 0);
          long bytes = m * width * 8;
          b = DIRECT;
          if (m * width <= Integer.MAX_VALUE - 16 && openBandBytes + bytes <= bandBudget) {
            try {
              b = new Band(i0, m, (int) width);
              openBandBytes += bytes;
            } catch (OutOfMemoryError e) {
              // The heap is fuller than the budget assumed: this band's rows are written as they come.
            }
          }
          bands.put(i0, b);
        }
      }
    }
    return b instanceof Band band ? band : null;
  }

  /** Marks a band whose tiles are written row by row. */
  private static final Object DIRECT = new Object();
  /** Marks an assembled band that has been written. */
  private static final Object WRITTEN = new Object();

  /**
   * The upper part of a band of rows, assembled from its tiles, whatever their order or thread, and
   * written one segment per row when its last tile arrives: where each tile's rows were one write
   * each (2 KB for tiles of 256 entries), a row of a 50,000-point kernel is one write of up to 400 KB.
   */
  private final class Band {
    private final int i0;
    private final int m;
    /** The band's first column: i0 for a mirrored kernel (its upper part), else 0. */
    private final int start;
    private final int width;
    private final double[] values;
    private final AtomicLong covered = new AtomicLong();

    Band(int i0, int m, int width) {
      this.i0 = i0;
      this.m = m;
      this.width = width;
      this.start = (int) (cols - width);
      this.values = new double[m * width];
    }

    void add(int j0, int w, double[] tile, boolean diagonalTile) throws IOException {
      for (int r = 0; r < m; r++) {
        int from = diagonalTile ? r : 0;
        if (from < w) {
          System.arraycopy(tile, r * w + from, values, r * width + (j0 - start) + from, w - from);
        }
      }
      // The thread of the last tile writes the band: the counter's update orders the other
      // threads' copies before its reads.
      if (covered.addAndGet(w) == width) {
        write();
      }
    }

    private void write() throws IOException {
      ByteBuffer buf = ByteBuffer.allocate(width * (f4 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
      // A mirrored band's row r starts at the diagonal; the part left of it comes from the mirrors.
      writeRows(i0, m, start, width, values, symmetric, buf);
      synchronized (bands) {
        bands.put(i0, WRITTEN);
        openBandBytes -= (long) values.length * 8;
      }
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
    for (Map.Entry<Integer, Object> e : bands.entrySet()) {
      if (e.getValue() instanceof Band) {
        throw new IOException(target + ": rows from " + e.getKey() + " on are incomplete (a tile is missing)");
      }
    }
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
