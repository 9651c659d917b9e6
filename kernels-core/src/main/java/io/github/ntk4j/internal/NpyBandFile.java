package io.github.ntk4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .npy} file of a symmetric n×n kernel computed in bands by {@link
 * CpuEngine#computeBands}, written one band of rows at a time as each is handed over, by the worker
 * that finished it while the others compute the rest: the write, a tenth of a short command's time
 * when done after the kernel, then overlaps the computation. Each band's rows are assembled whole,
 * their upper parts copied from the band and their lower parts read down the columns of the rows
 * above, and written at their offset in the file (positional writes, so bands may be written by
 * several threads at once, each through a buffer of its own).
 *
 * <p>The file is written to a hidden sibling and moved into place by {@link #commit()}; {@link
 * #close()} without a commit deletes it, so a failed or cancelled computation leaves no file. Like
 * {@link io.github.ntk4j.io.MatrixFiles#write}, and unlike the streamed {@link NpyTileFile}, it is
 * not synced to the disk before the move.
 */
public final class NpyBandFile implements CpuEngine.BandSink, AutoCloseable {
  private final Path target;
  private final Path tmp;
  private final FileChannel channel;
  private final int n;
  private final boolean f4;
  private final long dataStart;
  /** Write buffers not in use: one is made for each band written while all others are taken. */
  private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> buffers =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Rows written so far: a file with a band missing is never committed. */
  private final java.util.concurrent.atomic.AtomicLong rowsWritten = new java.util.concurrent.atomic.AtomicLong();
  private boolean committed;

  /**
   * Computes K(x, x) of one kind on the CPU and writes it to the {@code .npy} file {@code out}
   * while it is computed (see the class comment): the values of {@code Kernels.compute} on the CPU,
   * bit for bit, in about half the memory of an in-memory result. For the command line, when such a
   * result fits in the heap; {@code Kernels.writeNpy} streams instead.
   *
   * @throws IllegalArgumentException for bad inputs, as {@code Kernels.writeNpy}
   * @throws io.github.ntk4j.NumericalException when a kernel value overflows the precision
   * @throws IOException when the file cannot be written; no file is left
   */
  public static void write(
      io.github.ntk4j.layers.Layer architecture, io.github.ntk4j.Matrix x, io.github.ntk4j.KernelKind kind, Path out,
      io.github.ntk4j.ComputeOptions options, io.github.ntk4j.ProgressListener progress) throws IOException {
    Backends.requireValidStream(architecture, x, null, kind, out, options, progress);
    Chain chain = Chain.compile(architecture, x.cols());
    boolean float32 = options.precision() == io.github.ntk4j.Precision.FLOAT32;
    try (NpyBandFile file = new NpyBandFile(out, x.rows(), float32)) {
      try {
        CpuEngine.computeBands(chain, MatrixBridge.data(x), x.rows(), x.cols(), kind == io.github.ntk4j.KernelKind.NTK,
            options.threads(), options.tileSize(), float32, progress::progress, file);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      file.commit();
    }
  }

  /**
   * Creates the temporary file and writes the header of an n×n array.
   *
   * @param f4 float32 ({@code <f4}) rather than float64 ({@code <f8}) values
   * @throws IOException when the file cannot be made, or its directory has less free space than it
   *     needs
   */
  public NpyBandFile(Path target, int n, boolean f4) throws IOException {
    this.target = target.toAbsolutePath();
    this.n = n;
    this.f4 = f4;
    this.tmp = AtomicFiles.temporarySibling(this.target);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
      byte[] header = NpyHeader.of(n, n, f4);
      ch.write(ByteBuffer.wrap(header));
      dataStart = header.length;
      long size = dataStart + (long) n * n * (f4 ? 4 : 8);
      AtomicFiles.requireSpace(tmp, target, size);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      Files.deleteIfExists(tmp);
      throw e;
    }
    this.channel = ch;
  }

  @Override
  public void rows(int r0, int r1, double[] data, int[] rowStart) {
    int item = f4 ? 4 : 8;
    // Rows are assembled straight into the write buffer, as many at a time as it holds.
    ByteBuffer bytes = buffers.poll();
    if (bytes == null) {
      bytes = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
    }
    int chunk = Math.max(1, bytes.capacity() / item / n);
    try {
      for (int c0 = r0; c0 < r1; c0 += chunk) {
        int c1 = Math.min(r1, c0 + chunk);
        bytes.clear();
        if (f4) {
          assemble(bytes.asFloatBuffer(), null, c0, c1, data, rowStart);
        } else {
          assemble(null, bytes.asDoubleBuffer(), c0, c1, data, rowStart);
        }
        bytes.limit((c1 - c0) * n * item);
        long position = dataStart + (long) c0 * n * item;
        while (bytes.hasRemaining()) {
          position += channel.write(bytes, position);
        }
      }
      rowsWritten.addAndGet(r1 - r0);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
    } finally {
      buffers.add(bytes);
    }
  }

  /**
   * Rows [c0, c1) into {@code floats} or {@code doubles}: their upper parts copied from the bands,
   * their lower parts, (r, j) = (j, r) for j &lt; r, read along each row j above (a short contiguous
   * run per row).
   */
  private void assemble(FloatBuffer floats, DoubleBuffer doubles, int c0, int c1, double[] data, int[] rowStart) {
    for (int r = c0; r < c1; r++) {
      int at = (r - c0) * n;
      if (doubles != null) {
        doubles.put(at + r, data, rowStart[r] + r, n - r);
      } else {
        for (int j = r; j < n; j++) {
          floats.put(at + j, (float) data[rowStart[r] + j]);
        }
      }
    }
    for (int j = 0; j < c1 - 1; j++) {
      int from = rowStart[j];
      for (int r = Math.max(c0, j + 1); r < c1; r++) {
        if (doubles != null) {
          doubles.put((r - c0) * n + j, data[from + r]);
        } else {
          floats.put((r - c0) * n + j, (float) data[from + r]);
        }
      }
    }
  }

  /**
   * Moves the complete file over the target.
   *
   * @throws IOException when not every row has been written (the file is then deleted by {@link
   *     #close})
   */
  public void commit() throws IOException {
    long written = rowsWritten.get();
    if (written != n) {
      throw new IOException(target + ": " + written + " of " + n + " rows were written");
    }
    channel.close();
    AtomicFiles.commit(tmp, target);
    committed = true;
  }

  /** Deletes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      channel.close();
      Files.deleteIfExists(tmp);
    }
  }
}
