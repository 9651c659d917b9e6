package io.github.ntk4j.internal;

import io.github.ntk4j.NumericalException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The CPU backend: one Gram product, then the fused per-entry chain, tile by tile, on several
 * threads (shared/DESIGN.md §1).
 *
 * <p>Inputs are first scaled row by row by powers of two ({@link ScaledRows}). Each tile computes
 * its block of the Gram product ({@link Gram}), then for each row of the block the input sine s of
 * every entry (refined from the rows for nearly collinear pairs) and the layer chain ({@link
 * Chain#entries}). When the two input sets are the same, only tiles on and above the diagonal are
 * computed and mirrored, and diagonal entries come from the exact per-point diagonal chain. Tiles
 * are handed to worker threads in any order; every entry is computed by the same operations, so
 * results do not depend on the thread count or the tile size.
 */
public final class CpuEngine {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CpuEngine.class);
  /** Progress callback: (entries completed, entries in all). */
  public interface Progress {
    /** See {@link io.github.ntk4j.ProgressListener#progress}. */
    void report(long completed, long total);
  }

  /** The computed kernels, row-major n1×n2; each is null when not requested. */
  public record Output(double[] nngp, double[] ntk) {}

  /**
   * A per-entry computation on the prepared input kernel, for kernels other than the NNGP and NTK
   * (the SignSGD kernel). The engine does the Gram product, the input sines and the tiling, threads,
   * progress and cancellation; the sink computes and stores its entries.
   *
   * @param <W> per-thread scratch space
   */
  public interface RowSink<W> {
    /**
     * Called once, before any tile, with the chain's per-point variances ({@link Chain#variances})
     * of the two sets.
     */
    void start(double[][] v1, double[][] v2);

    /** Scratch space for tiles of {@code tile}×{@code tile} entries, one per worker thread. */
    W workspace(int tile);

    /** Called before the rows of the tile [i0, i1) × [j0, j0 + w). */
    void beginTile(int i0, int i1, int j0, int w, W workspace);

    /**
     * Computes the entries (i, js + k), k in [0, len), from the input kernel Σ = x1ᵢ·x2ⱼ/d and its
     * sine s (both modifiable scratch).
     *
     * @return false when an entry is not finite
     */
    boolean row(int i, int js, int len, double[] sigma, double[] sine, W workspace);
  }

  /**
   * Computes blocks of the input Gram product somewhere else (an OpenCL device), while the engine
   * runs the per-entry chain on the CPU.
   */
  public interface GramSource {
    /**
     * Prepares the Gram blocks of two prepared sets ({@code b} is {@code a} for a symmetric kernel).
     *
     * @param float32 whether the engine reads float blocks
     */
    GramTiles open(ScaledRows a, ScaledRows b, boolean float32);
  }

  /** Gram blocks of two prepared sets; called from several worker threads. */
  public interface GramTiles extends AutoCloseable {
    /**
     * Writes a_i·b_j, i in [i0, i1), j in [j0, j0 + w), to {@code g} (float64) or {@code gf}
     * (float32) at (i − i0)·w + (j − j0); the other array is null.
     */
    void tile(int i0, int i1, int j0, int w, double[] g, float[] gf);

    @Override
    void close();
  }

  /** Receives finished tiles of a streamed kernel (one kind), from several worker threads. */
  public interface TileSink {
    /**
     * Takes the tile [i0, i0 + m) × [j0, j0 + w), row-major in {@code values[0, m·w)} (read only,
     * reused after the call). On a diagonal tile of a symmetric kernel only entries on and above the
     * diagonal are set; in a symmetric kernel the caller must mirror the tile itself.
     */
    void tile(int i0, int m, int j0, int w, double[] values, boolean diagonalTile);
  }

  /**
   * Receives the finished row bands of a symmetric kernel held in the banded layout of {@link
   * #computeBands}: each on the worker thread that finished it, while the other workers compute the
   * rest, so calls for different bands may run at the same time.
   */
  public interface BandSink {
    /**
     * Rows [r0, r1) are final: entry (i, j), j ≥ i, is {@code data[rowStart[i] + j]}, and entry (i, j),
     * j &lt; i, is (j, i). Entries of rows before r1 stay readable (and unchanged) until the end.
     * Called at most once for each row, possibly from several threads at once.
     */
    void rows(int r0, int r1, double[] data, int[] rowStart);
  }

  private CpuEngine() {}

  /**
   * Computes one kernel tile by tile without holding it: each finished tile goes to {@code sink}.
   * Memory is the inputs plus a few tiles per thread. For a symmetric kernel ({@code x2} null) only
   * tiles on and above the diagonal are computed.
   *
   * @param ntk the NTK (true) or the NNGP (false)
   * @throws NumericalException when an entry is not finite (no later tile is computed)
   */
  public static void stream(
      Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean ntk, int threads, int tileSize,
      boolean float32, Progress progress, TileSink sink) {
    stream(chain, x1, n1, x2, n2, d, ntk, threads, tileSize, float32, progress, sink, null);
  }

  /**
   * {@link #stream(Chain, double[], int, double[], int, int, boolean, int, int, boolean, Progress,
   * TileSink)} with the Gram blocks from {@code gram} ({@code null}: computed here), e.g. a device's.
   */
  public static void stream(
      Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean ntk, int threads, int tileSize,
      boolean float32, Progress progress, TileSink sink, GramSource gram) {
    JitWarmUp.stopRunning();
    Job job =
        new Job(chain, x1, n1, x2, n2, d, !ntk, ntk, tileSize, float32, progress, null, "kernel", gram, sink, threads, null);
    job.runAll(threads);
  }

  /**
   * Runs {@code sink} over every entry (i, j) of x1 × x2 (the full rectangle: no symmetry is
   * assumed), in float64, tile by tile on {@code threads} threads.
   *
   * @param what names the kernel in error messages
   * @throws NumericalException when the sink reports a non-finite entry
   */
  public static <W> void forEachRow(
      Chain chain, double[] x1, int n1, double[] x2, int n2, int d, int threads, int tileSize, Progress progress,
      RowSink<W> sink, String what) {
    JitWarmUp.stopRunning();
    Job job =
        new Job(chain, x1, n1, x2 == null ? x1 : x2, n2, d, false, false, tileSize, false, progress, sink, what, null, null);
    job.runAll(threads);
  }

  /**
   * Computes the NNGP (when {@code wantNngp}) and the NTK (when {@code wantNtk}) of {@code chain}.
   *
   * @param x1 first set, row-major n1×d (not modified)
   * @param x2 second set, row-major n2×d, or {@code null} for the first set again (not modified)
   * @throws IllegalArgumentException when an input row's squared norm overflows
   * @throws NumericalException when a kernel entry is not finite
   */
  public static Output compute(
      Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean wantNngp, boolean wantNtk, int threads,
      int tileSize, boolean float32, Progress progress) {
    return compute(chain, x1, n1, x2, n2, d, wantNngp, wantNtk, threads, tileSize, float32, progress, null);
  }

  /**
   * As {@link #compute(Chain, double[], int, double[], int, int, boolean, boolean, int, int, boolean,
   * Progress)}, with the Gram blocks from {@code gram} ({@code null}: computed here).
   */
  public static Output compute(
      Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean wantNngp, boolean wantNtk, int threads,
      int tileSize, boolean float32, Progress progress, GramSource gram) {
    JitWarmUp warm = JitWarmUp.forKernel(chain, (long) n1 * (x2 == null ? n1 : n2), wantNngp, wantNtk, float32, threads);
    Job job;
    try {
      job = new Job(chain, x1, n1, x2, n2, d, wantNngp, wantNtk, tileSize, float32, progress, null, "kernel", gram, null);
    } finally {
      warm.stop();
    }
    try {
      job.runAll(threads);
    } finally {
      if (job.tiles != null) {
        job.tiles.close();
      }
    }
    return new Output(job.nngp, job.ntk);
  }

  /**
   * Computes one symmetric kernel K(X, X) in memory, upper triangle only, and hands each band of
   * rows to {@code sink} as soon as it is final, on the worker thread that finished it, so that it
   * can be written out while the other workers compute the rest. The kernel is held in bands of
   * {@value #NATIVE_PANEL} rows, each from its diagonal to the last column: about half of the n²
   * entries of a full result. Values are those of {@link #compute} bit for bit.
   *
   * @param ntk the NTK (true) or the NNGP (false)
   * @throws NumericalException when an entry is not finite (no later band is handed over)
   * @throws RuntimeException what {@code sink} throws, after the workers have stopped
   */
  public static void computeBands(
      Chain chain, double[] x, int n, int d, boolean ntk, int threads, int tileSize, boolean float32,
      Progress progress, BandSink sink) {
    JitWarmUp warm = JitWarmUp.forKernel(chain, (long) n * n, !ntk, ntk, float32, threads);
    Job job;
    try {
      job = new Job(chain, x, n, null, n, d, !ntk, ntk, tileSize, float32, progress, null, "kernel", null, null,
          threads, sink);
    } finally {
      warm.stop();
    }
    job.runAll(threads);
  }

  /**
   * Runs the synthetic kernels of a JIT warm-up ({@link JitWarmUp}) until {@code stop} is set: a
   * dozen small kernels of {@code chain} on one thread, counted in {@code rounds}. Their values are
   * discarded.
   */
  static void warmUpRounds(
      Chain chain, boolean wantNngp, boolean wantNtk, boolean float32, AtomicBoolean stop, AtomicInteger rounds) {
    int n = 192;
    int d = WARM_UP_DIMENSION;
    double[] x = new double[n * d];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    // The fixed-order Java dot products, not the native BLAS: a dgemm here would start the BLAS's
    // own threads beside the caller's preparation.
    GramSource javaGram = (a, b, f32) -> new GramTiles() {
      @Override
      public void tile(int i0, int i1, int j0, int w, double[] g, float[] gf) {
        for (int i = i0; i < i1; i++) {
          for (int k = 0; k < w; k++) {
            double v = a.dot(i, b, j0 + k);
            if (f32) {
              gf[(i - i0) * w + k] = (float) v;
            } else {
              g[(i - i0) * w + k] = v;
            }
          }
        }
      }

      @Override
      public void close() {}
    };
    try {
      for (int round = 0; round < WARM_UP_ROUNDS && !stop.get(); round++) {
        Job job = new Job(chain, x, n, null, 0, d, wantNngp, wantNtk, WARM_UP_TILE, float32, (c, all) -> {}, null,
            "warm-up", javaGram, null);
        job.stopWhen = stop;
        job.runAll(1);
        rounds.incrementAndGet();
      }
    } catch (RuntimeException e) {
      // A synthetic kernel that fails (e.g. overflows for this architecture) only ends the warm-up.
      LOG.debug("JIT warm-up ended: {}", e.toString());
    }
  }

  /**
   * Most synthetic kernels of a warm-up: a dozen reach the compiled code (the tiles of the 192×192
   * kernel take about 15 ms at first and 1 ms from the eighth on); 40 measured no better end to end.
   */
  private static final int WARM_UP_ROUNDS = 12;

  /**
   * The synthetic kernels' tile size. Rows of 16 entries make the per-row methods reach the JIT's
   * invocation threshold before its loop-count threshold, so that each is compiled once, whole,
   * instead of first on stack replacement and then again (logged on 2 cores, n = 4000: 0.53–0.59 s of
   * C2 time on this library's methods, against 0.66–0.76 s with tiles of 32 or 64).
   */
  private static final int WARM_UP_TILE = 16;

  /** Columns of the synthetic inputs of a warm-up. */
  static final int WARM_UP_DIMENSION = 16;

  /** Logs how a warm-up went (once it is stopped). */
  static void logWarmUp(int rounds, long millis) {
    LOG.debug("JIT warm-up: {} synthetic kernels, {} ms", rounds, millis);
  }

  /**
   * Checks, for the OpenCL device's streamed route, that what it allocates in the heap beyond the
   * inputs fits: float32's copies of the inputs (12 bytes an entry; float64 rows within 2^±256 are
   * used as they are) and room for the bands the file assembles (an eighth of the heap at most).
   * The device holds the Gram blocks. (The CPU's streamed route counts its own, in its job.)
   *
   * @throws IllegalArgumentException saying how much is needed and how to raise the heap
   */
  public static void requireStreamInputs(int n1, int n2, int d, boolean symmetric, boolean float32) {
    requireStreamHeap(n1, n2, streamBaseBytes(n1, n2, d, symmetric, float32));
  }

  /**
   * What any streamed kernel allocates beyond its inputs: float32's copies of them (float and double
   * rows, 12 bytes an entry; float64 rows within 2^±256 are used as they are) and room for the bands
   * the file assembles (an eighth of the heap at most).
   */
  private static long streamBaseBytes(int n1, int n2, int d, boolean symmetric, boolean float32) {
    long inputEntries = (long) d * (n1 + (symmetric ? 0 : n2));
    return (float32 ? 12 * inputEntries : 0) + Runtime.getRuntime().maxMemory() / 8;
  }

  /**
   * Checks that the {@code bytes} a streamed n1×n2 kernel still has to allocate fit in the heap.
   *
   * @throws IllegalArgumentException saying how much is needed and how to raise the heap
   */
  static void requireStreamHeap(int n1, int n2, long bytes) {
    long available = availableHeap();
    if (bytes > available) {
      throw new IllegalArgumentException(String.format(
          "streaming a %dx%d kernel still needs about %s of heap for its inputs and Gram blocks, but only %s"
              + " is available; raise it with java -Xmx<size>", n1, n2, size(bytes), size(available)));
    }
  }

  /** Bytes in GB to one decimal, or in MB below 1 GB (where one decimal of a GB says little). */
  private static String size(long bytes) {
    return bytes >= 1e9 ? String.format("%.1f GB", bytes / 1e9) : String.format("%d MB", Math.round(bytes / 1e6));
  }

  /** Bytes the heap can still give: its maximum less what is in use. */
  public static long availableHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Fails up front, with the numbers, when {@code arrays} n1×n2 result arrays plus {@code extraBytes}
   * cannot be held: more entries than one Java array takes, or more bytes than the heap has.
   *
   * @throws IllegalArgumentException naming the sizes and what to do
   */
  public static void requireResultArrays(int n1, int n2, int arrays, long extraBytes) {
    long size = (long) n1 * n2;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "kernel of " + n1 + "x" + n2 + " entries is larger than one Java array (2^31 entries);"
              + " compute it in blocks of rows, or stream it to a .npy file (Kernels.writeNpy)");
    }
    requireHeap(n1, n2, size * 8L * arrays + extraBytes);
  }

  /** Fails up front, with the numbers, when {@code bytes} for an n1×n2 kernel are more than the heap has. */
  private static void requireHeap(int n1, int n2, long bytes) {
    long available = availableHeap();
    if (bytes > available) {
      throw new IllegalArgumentException(String.format(
          "a %dx%d kernel needs about %.1f GB of heap but only %.1f GB is available;"
              + " raise it with java -Xmx<size>, compute the kernel in blocks of rows, or stream it to a .npy file"
              + " (Kernels.writeNpy; ntk4j kernel streams .npy outputs by itself when needed)",
          n1, n2, bytes / 1e9, available / 1e9));
    }
  }

  /** The exception for a kernel entry ({@code where}, e.g. "[3][7]") that is not finite. */
  public static NumericalException notFinite(String what, String where, boolean float32) {
    return new NumericalException(
        what + " entry " + where + " is not finite: the kernel overflows " + (float32 ? "float32" : "float64")
            + " for this architecture and input scale; reduce weightStd or depth, or rescale the inputs");
  }

  /** Height of the Gram panels (and largest tile) when the native BLAS computes the Gram product. */
  static final int NATIVE_PANEL = 256;

  /** Gram rows of one panel: row-major rows × width, starting at column firstColumn. */
  private record Panel(double[] gram, int firstColumn, int width, AtomicInteger remaining) {}

  private static final class Job {
    final Chain chain;
    final boolean symmetric;
    final int n1;
    final int n2;
    final int d;
    final int tile;
    final boolean float32;
    final ScaledRows s1;
    final ScaledRows s2;
    final double[] bt;
    final GramTiles tiles;
    /** Whether the Gram blocks come from the native BLAS (float64 only). */
    final boolean nativeGram;
    /**
     * Native BLAS with the result in memory: the whole Gram product (upper part for K(X, X)) is first
     * written into the result array by dgemm, panel by panel, and each tile's chain then replaces its
     * entries. Mirrored writes go below the diagonal, which no tile reads.
     */
    final boolean gramInPlace;
    /** Native BLAS otherwise: the Gram rows of each panel, computed by one dgemm when first needed. */
    final Panel[] panels;
    /** Native BLAS: the number of tiles that read each panel. */
    final int[] panelTiles;
    /** Streaming: finished tiles go here and no n1×n2 result is held. */
    final TileSink tileSink;
    final float[] btf;
    final double collinearThreshold;
    final double[][] v1;
    final double[][] v2;
    /**
     * The result of {@link #computeBands}: where row i starts in the result arrays (entry (i, j), j
     * in row i's band, at rowStart[i] + j), else null (row i at i·n2).
     */
    final int[] rowStart;
    /** Receives the finished bands of {@link #computeBands}, else null. */
    final BandSink bandSink;
    /** Per band of tile rows: its tiles (b, j ≥ b) and (i &lt; b, b) not yet finished. */
    private final AtomicIntegerArray pendingBands;
    /** What the band sink threw first, rethrown once the workers have stopped. */
    private volatile RuntimeException bandFailure;
    final double[] nngp;
    final double[] ntk;
    final boolean wantNngp;
    final boolean wantNtk;
    final double[] diagNtk;
    final List<int[]> tasks = new ArrayList<>();
    volatile String nonFinite;
    volatile boolean cancelled;
    /** The warm-up's stop flag: when set, the remaining tiles are skipped (and nothing is thrown). */
    AtomicBoolean stopWhen;
    final Progress progress;
    @SuppressWarnings("rawtypes")
    final RowSink sink;
    final String what;
    private long completed;
    private long total;
    /** Time spent scaling the inputs, allocating the result and running the diagonal chain. */
    private final long prepareMillis;

    Job(
        Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean wantNngp, boolean wantNtk, int tile,
        boolean float32, Progress progress, RowSink<?> sink, String what, GramSource gram, TileSink tileSink) {
      this(chain, x1, n1, x2, n2, d, wantNngp, wantNtk, tile, float32, progress, sink, what, gram, tileSink, 1, null);
    }

    /**
     * {@code threads}: the streamed kernel's worker threads, each of which may hold a Gram panel;
     * {@code bandSink}: a symmetric kernel held in bands (see {@link #computeBands}), else null.
     */
    Job(
        Chain chain, double[] x1, int n1, double[] x2, int n2, int d, boolean wantNngp, boolean wantNtk, int tile,
        boolean float32, Progress progress, RowSink<?> sink, String what, GramSource gram, TileSink tileSink,
        int threads, BandSink bandSink) {
      this.tileSink = tileSink;
      this.bandSink = bandSink;
      this.chain = chain;
      this.sink = sink;
      this.what = what;
      this.progress = progress;
      this.symmetric = x2 == null;
      this.n1 = n1;
      this.n2 = symmetric ? n1 : n2;
      this.d = d;
      this.float32 = float32;
      long started = System.nanoTime();
      // The inputs and the result first, the native BLAS after: an early warm-up loads the BLAS on a
      // thread of its own, and this order leaves it that long to finish before it is waited for.
      if (tileSink != null) {
        requireStreamHeap(n1, this.n2, streamBytes(n1, d, float32, gram, threads, tile));
      }
      this.s1 = ScaledRows.of(x1, n1, d, float32, "x1");
      this.s2 = symmetric ? s1 : ScaledRows.of(x2, n2, d, float32, "x2");
      if (tileSink != null) {
        this.rowStart = null;
        this.nngp = null;
        this.ntk = null;
      } else if (bandSink != null) {
        // Bands of NATIVE_PANEL rows from their first row's column on: row i of band p starts at
        // base(p) + (i − p·B)·(n − p·B), and holds the columns from p·B on.
        this.rowStart = new int[n1];
        long size = 0;
        for (int p0 = 0; p0 < n1; p0 += NATIVE_PANEL) {
          int width = n1 - p0;
          int rows = Math.min(NATIVE_PANEL, width);
          if (size + (long) rows * width > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                "a " + n1 + "x" + n1 + " kernel in bands has more entries than one Java array (2^31 entries);"
                    + " stream it to a .npy file (Kernels.writeNpy)");
          }
          for (int i = p0; i < p0 + rows; i++) {
            rowStart[i] = (int) (size + (long) (i - p0) * width - p0);
          }
          size += (long) rows * width;
        }
        requireHeap(n1, n1, 8 * size + 16L * d * n1);
        double[] bands = new double[(int) size];
        this.nngp = wantNngp ? bands : null;
        this.ntk = wantNtk ? bands : null;
      } else {
        requireResultArrays(n1, this.n2, (wantNtk ? 1 : 0) + (wantNngp ? 1 : 0) + (sink != null ? 1 : 0),
            16L * (long) d * (n1 + this.n2));
        int size = n1 * this.n2;
        this.rowStart = null;
        this.nngp = wantNngp ? new double[size] : null;
        this.ntk = wantNtk ? new double[size] : null;
      }
      // Native BLAS: the Gram product comes in panels of NATIVE_PANEL rows, one dgemm each, whose shapes
      // depend only on n1 and n2 (a dgemm's bits depend on the call's shape); tiles are a power of two
      // no larger, so that each lies in one panel and every tile size and thread count gives the same bits.
      this.tile = gram == null && !float32 && NativeBlas.available()
          ? Integer.highestOneBit(Math.min(tile, NATIVE_PANEL)) : tile;
      this.tiles = gram == null ? null : gram.open(s1, s2, float32);
      this.nativeGram = tiles == null && !float32 && NativeBlas.available();
      this.gramInPlace = nativeGram && tileSink == null && sink == null;
      this.panels = nativeGram && !gramInPlace ? new Panel[(n1 + NATIVE_PANEL - 1) / NATIVE_PANEL] : null;
      this.panelTiles = panels != null ? new int[panels.length] : null;
      this.bt = float32 || tiles != null || nativeGram ? null : s2.transposed();
      this.btf = float32 && tiles == null ? s2.transposedFloat() : null;
      this.collinearThreshold = float32 ? 3e-2 : 1e-3;
      this.v1 = chain.variances(s1.variance);
      this.v2 = symmetric ? v1 : chain.variances(s2.variance);
      this.wantNngp = wantNngp;
      this.wantNtk = wantNtk;
      this.diagNtk = symmetric && wantNtk ? chain.ntkDiagonal(v1) : null;
      this.prepareMillis = (System.nanoTime() - started) / 1_000_000;
      int tilesPerRow = (n1 + this.tile - 1) / this.tile;
      int tilesPerCol = (this.n2 + this.tile - 1) / this.tile;
      this.pendingBands = bandSink == null ? null : new AtomicIntegerArray(tilesPerRow);
      for (int b = 0; bandSink != null && b < tilesPerRow; b++) {
        pendingBands.set(b, tilesPerRow); // (b, j) for j ≥ b and (i, b) for i < b
      }
      for (int ti = 0; ti < tilesPerRow; ti++) {
        for (int tj = symmetric ? ti : 0; tj < tilesPerCol; tj++) {
          tasks.add(new int[] {ti, tj});
          if (panelTiles != null) {
            panelTiles[ti * this.tile / NATIVE_PANEL]++;
          }
        }
      }
    }

    /**
     * What a streamed kernel allocates beyond its inputs: {@link #streamBaseBytes}, the Gram panels of
     * the threads (native BLAS) or the transposed second set (pure Java), and each thread's tile
     * buffers. Rows beyond 2^±256, rare, are scaled into one more copy that is not counted.
     */
    private long streamBytes(int n1, int d, boolean float32, GramSource gram, int threads, int tile) {
      long bytes = streamBaseBytes(n1, n2, d, symmetric, float32);
      if (gram == null) {
        bytes += float32 ? 4L * d * n2
            : NativeBlas.available() ? (long) Math.max(1, threads) * Math.min(n1, NATIVE_PANEL) * n2 * 8
            : 8L * d * n2;
      }
      return bytes + (long) Math.max(1, threads) * 8 * 8 * tile * tile;
    }

    void runAll(int threads) {
      total = symmetric ? (long) n1 * (n1 + 1) / 2 : (long) n1 * n2;
      if (sink != null) {
        sink.start(v1, v2);
      }
      long gramStart = System.nanoTime();
      if (gramInPlace) {
        // One dgemm per panel, on the BLAS's own threads, before the chain's workers start.
        double[] target = nngp != null ? nngp : ntk;
        for (int i0 = 0; i0 < n1; i0 += NATIVE_PANEL) {
          int m = Math.min(n1, i0 + NATIVE_PANEL) - i0;
          int first = symmetric ? i0 : 0;
          NativeBlas.tile(s1.rows, s2.rows, d, i0, m, first, n2 - first, target, rowStart(i0) + first, rowLength(i0));
        }
      }
      long chainStart = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      Thread caller = Thread.currentThread();
      Runnable worker =
          () -> {
            Buffers b = new Buffers(tile, float32, sink, tileSink != null);
            int t;
            while (!cancelled && (stopWhen == null || !stopWhen.get()) && (t = next.getAndIncrement()) < tasks.size()) {
              int[] task = tasks.get(t);
              long entries = runTile(task[0], task[1], b);
              if (bandSink != null) {
                // The worker that finishes a band writes it: no third thread competes with the two
                // workers for the cores, and the last bands are not left to one thread at the end.
                if (bandDone(task[0])) {
                  deliverBand(task[0]);
                }
                if (task[1] != task[0] && bandDone(task[1])) {
                  deliverBand(task[1]);
                }
              }
              try {
                reportProgress(entries);
              } catch (RuntimeException | Error e) {
                cancelled = true;
                throw e;
              }
              if (caller.isInterrupted()) {
                cancelled = true;
              }
            }
          };
      int n = Math.min(threads, tasks.size());
      if (n <= 1) {
        worker.run();
      } else {
        ExecutorService pool =
            Executors.newFixedThreadPool(
                n,
                r -> {
                  Thread th = new Thread(r, "ntk4j-cpu");
                  th.setDaemon(true);
                  return th;
                });
        try {
          List<Future<?>> fs = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            fs.add(pool.submit(worker));
          }
          for (Future<?> f : fs) {
            f.get();
          }
        } catch (InterruptedException e) {
          cancelled = true;
          caller.interrupt();
        } catch (ExecutionException e) {
          cancelled = true;
          throw Causes.unchecked(e.getCause());
        } finally {
          pool.shutdownNow();
          // Each worker stops at the end of its tile (or band write) once cancelled is set: waiting
          // for them means that nothing of this kernel still runs, or writes to a file the caller
          // is about to delete, when this returns or throws.
          awaitWorkers(pool);
        }
      }
      if (LOG.isDebugEnabled() && stopWhen == null) {
        LOG.debug("{}x{} {}: prepare {} ms, {} Gram product {} ms, tiles {} ms", n1, n2, what, prepareMillis,
            gramInPlace ? "native" : "per-tile", (chainStart - gramStart) / 1_000_000,
            (System.nanoTime() - chainStart) / 1_000_000);
      }
      if (bandFailure != null) {
        throw bandFailure;
      }
      // A non-finite entry also stops the workers early (cancelled); it is reported below instead.
      if (nonFinite == null && (cancelled || caller.isInterrupted())) {
        throw new CancellationException("kernel computation cancelled: the calling thread was interrupted");
      }
      if (symmetric && tileSink == null) {
        double[] vOut = v1[chain.depth()];
        for (int i = 0; i < n1; i++) {
          if (nngp != null) {
            nngp[rowStart(i) + i] = round(vOut[i]);
          }
          if (ntk != null) {
            ntk[rowStart(i) + i] = round(diagNtk[i]);
          }
        }
      }
      String bad = nonFinite;
      if (bad == null) {
        bad = scanDiagonal();
      }
      if (bad != null) {
        throw notFinite(what, bad, float32);
      }
    }

    private String scanDiagonal() {
      if (!symmetric || tileSink != null) {
        return null;
      }
      for (int i = 0; i < n1; i++) {
        if ((nngp != null && !Double.isFinite(nngp[rowStart(i) + i]))
            || (ntk != null && !Double.isFinite(ntk[rowStart(i) + i]))) {
          return "[" + i + "][" + i + "]";
        }
      }
      return null;
    }

    /**
     * Near-collinear pairs lose digits of s = √(q1·q2 − Σ²) to cancellation: an error ε·q² in the
     * determinant moves the angle by about ε·q/(2s). Below s = threshold·√(q1·q2) (1e-3 in float64,
     * so the angle error stays under 6e-14; 3e-2 in float32, whose Gram entries and norms are rounded
     * separately) s is recomputed as |x|·|y − (x·y/|x|²)·x| / d from the rows themselves, in double
     * precision: accurate to rounding, and exactly 0 for duplicated and negated rows. O(d) per such
     * pair, which are rare in real data. When the native BLAS computed the Gram block, Σ of such a
     * pair is also recomputed in the fixed order of the norms, so that a duplicate's Σ equals its q.
     */
    private void refineNearCollinear(int i, int js, int len, double[] sigma, double[] sine) {
      double[] x = s1.rows;
      double[] y = s2.rows;
      double r1 = s1.root[i];
      for (int k = 0; k < len; k++) {
        int j = js + k;
        if (sine[k] > collinearThreshold * r1 * s2.root[j] || sine[k] == 0 && sigma[k] == 0) {
          continue;
        }
        double xx = s1.squaredNorm[i];
        if (xx == 0) {
          sine[k] = 0;
          continue;
        }
        double dot = s1.dot(i, s2, j);
        if (nativeGram) {
          // Σ of the pair from the fixed-order dot product, in which the norms are computed too:
          // duplicated and negated rows stay exact whatever order the native BLAS summed in.
          sigma[k] = dot / d * s1.factor[i] * s2.factor[j];
        }
        double alpha = dot / xx;
        double rr = 0;
        for (int c = 0; c < d; c++) {
          // One rounding per component (fma); an error in alpha only enters |r|² at second order.
          double res = Math.fma(-alpha, x[i * d + c], y[j * d + c]);
          rr += res * res;
        }
        sine[k] = Math.sqrt(xx) * Math.sqrt(rr) / d * s1.factor[i] * s2.factor[j];
      }
    }

    /**
     * The Gram rows [pi·P, (pi + 1)·P) × [first column, n2) of one panel (from its diagonal for a
     * symmetric kernel), computed by one dgemm call whose shape depends only on n1 and n2,
     * under a lock: one native call at a time, so that the BLAS's own threads are not oversubscribed
     * and each call partitions its work the same way.
     */
    private Panel panel(int pi) {
      synchronized (panels) {
        Panel p = panels[pi];
        if (p == null) {
          int i0 = pi * NATIVE_PANEL;
          int m = Math.min(n1, i0 + NATIVE_PANEL) - i0;
          int first = symmetric ? i0 : 0;
          int width = n2 - first;
          double[] g = new double[m * width];
          NativeBlas.tile(s1.rows, s2.rows, d, i0, m, first, width, g);
          p = new Panel(g, first, width, new AtomicInteger(panelTiles[pi]));
          panels[pi] = p;
        }
        return p;
      }
    }

    private synchronized void reportProgress(long entries) {
      completed += entries;
      progress.report(completed, total);
    }

    private double round(double v) {
      return float32 ? (double) (float) v : v;
    }

    private static final class Buffers {
      final double[] g;
      final float[] gf;
      /**
       * Where the current tile's Gram entries are (float64): {@link #g}, or the result itself when
       * the Gram product was computed in place; entry (i, j) of the tile is at gramStart + (i − i0) ·
       * gramStride + j.
       */
      double[] gram;
      int gramStart;
      int gramStride;
      final double[] sigma;
      final double[] sine;
      final double[] theta;
      final Chain.Workspace workspace;
      final Object sinkWorkspace;

      /** Streaming: this thread's tile of the NNGP and of the NTK. */
      final double[] tileNngp;
      final double[] tileNtk;

      Buffers(int tile, boolean float32, RowSink<?> sink, boolean streaming) {
        tileNngp = streaming ? new double[tile * tile] : null;
        tileNtk = streaming ? new double[tile * tile] : null;
        sinkWorkspace = sink == null ? null : sink.workspace(tile);
        g = float32 ? null : new double[tile * tile];
        gf = float32 ? new float[tile * tile] : null;
        sigma = new double[tile];
        sine = new double[tile];
        theta = new double[tile];
        workspace = new Chain.Workspace(tile);
      }
    }

    // The per-row loops of runTile as small methods: the JIT compiles them early (see Chain.entries).

    /**
     * Σ and s of one row of the input kernel from its Gram entries g[r …), by {@link Angles#sine}'s
     * operations in loops the JIT vectorizes (hence the copies to index 0 in the workspace's scratch);
     * a row with a variance product outside {@link Angles#inRange} takes Angles.sine entry by entry.
     */
    private static void rowInputs(
        double[] g, int r, int d, double fi, double[] f2, double q1, double[] q2, int js, double[] sigma, double[] sine,
        int len, Chain.Workspace ws) {
      double[] gr = ws.p;
      double[] f = ws.q;
      double[] v = ws.v;
      System.arraycopy(g, r, gr, 0, len);
      System.arraycopy(f2, js, f, 0, len);
      for (int k = 0; k < len; k++) {
        sigma[k] = gr[k] / d * fi * f[k];
      }
      if (d == 1) {
        java.util.Arrays.fill(sine, 0, len, 0.0);
        return;
      }
      System.arraycopy(q2, js, v, 0, len);
      for (int k = 0; k < len; k++) { // none negative when every q1q2 is in range
        f[k] = Angles.rangeMargin(q1 * v[k]);
      }
      if (ArcCosine.minimum(f, len) >= 0) {
        for (int k = 0; k < len; k++) {
          sine[k] = Angles.directSine(q1, v[k], sigma[k]);
        }
      } else {
        for (int k = 0; k < len; k++) {
          sine[k] = Angles.sine(q1, v[k], sigma[k]);
        }
      }
    }

    private static void rowInputs(
        float[] g, int r, int d, double fi, double[] f2, double q1, double[] q2, int js, double[] sigma, double[] sine, int len) {
      for (int k = 0; k < len; k++) {
        double sg = (double) g[r + k] / d * fi * f2[js + k];
        sigma[k] = sg;
        sine[k] = d == 1 ? 0 : Angles.sine(q1, q2[js + k], sg);
      }
    }

    /** Writes a row (rounded to float32 if asked); returns whether all of it is finite. */
    private static boolean store(double[] values, double[] out, int at, int len, boolean float32) {
      boolean finite = true;
      for (int k = 0; k < len; k++) {
        double v = float32 ? (double) (float) values[k] : values[k];
        finite &= Double.isFinite(v);
        out[at + k] = v;
      }
      return finite;
    }

    /** Copies a row segment into the column below the diagonal: out[to + k·n] = out[from + k]. */
    private static void mirror(double[] out, int from, int to, int n, int len) {
      for (int k = 0; k < len; k++) {
        out[to + k * n] = out[from + k];
      }
    }

    /**
     * Entries (i, js … js + len) of a tile whose Gram block is in the buffers: the input kernel, the
     * chain, and the results written (and mirrored for a symmetric in-memory kernel). A method of its
     * own, called once per row, so that the JIT compiles it early and whole instead of on stack
     * replacement inside the tile loop.
     */
    @SuppressWarnings("unchecked")
    private void runRow(int i, int i0, int j0, int w, int js, int len, Buffers b, double[] outNngp, double[] outNtk) {
      double[] sigma = b.sigma;
      double[] sine = b.sine;
      double[] theta = wantNtk ? b.theta : null;
      boolean streaming = tileSink != null;
      int r = b.gramStart + (i - i0) * b.gramStride + js;
      if (float32) {
        rowInputs(b.gf, r, d, s1.factor[i], s2.factor, v1[0][i], v2[0], js, sigma, sine, len);
      } else {
        rowInputs(b.gram, r, d, s1.factor[i], s2.factor, v1[0][i], v2[0], js, sigma, sine, len, b.workspace);
      }
      if (d > 1) {
        refineNearCollinear(i, js, len, sigma, sine);
      }
      if (sink != null) {
        if (!sink.row(i, js, len, sigma, sine, b.sinkWorkspace) && nonFinite == null) {
          nonFinite = "in row " + i;
        }
        return;
      }
      chain.entries(sigma, sine, theta, v1, i, v2, js, len, b.workspace);
      int row = streaming ? (i - i0) * w - j0 : rowStart(i);
      boolean finite = true;
      if (outNngp != null) {
        finite &= store(sigma, outNngp, row + js, len, float32);
      }
      if (outNtk != null) {
        finite &= store(theta, outNtk, row + js, len, float32);
      }
      if (symmetric && !streaming && rowStart == null) {
        if (nngp != null) {
          mirror(nngp, row + js, js * n2 + i, n2, len);
        }
        if (theta != null) {
          mirror(ntk, row + js, js * n2 + i, n2, len);
        }
      }
      if (!finite && nonFinite == null) {
        for (int k = 0; k < len; k++) {
          if ((outNngp != null && !Double.isFinite(outNngp[row + js + k]))
              || (outNtk != null && !Double.isFinite(outNtk[row + js + k]))) {
            nonFinite = "[" + i + "][" + (js + k) + "]";
            break;
          }
        }
      }
    }

    /** Waits until the pool's threads have ended; an interrupt meanwhile is kept for the caller. */
    private static void awaitWorkers(ExecutorService pool) {
      boolean interrupted = false;
      while (!pool.isTerminated()) {
        try {
          pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Counts a finished tile against band b; true when that was its last one (the band is final). */
    private boolean bandDone(int b) {
      return pendingBands.decrementAndGet(b) == 0;
    }

    /** On the worker that finished band b: sets its diagonal and hands its rows to the band sink. */
    private void deliverBand(int b) {
      if (cancelled || nonFinite != null || bandFailure != null) {
        return;
      }
      int r0 = b * tile;
      int r1 = Math.min(n1, r0 + tile);
      double[] data = ntk != null ? ntk : nngp;
      double[] vOut = v1[chain.depth()];
      for (int i = r0; i < r1; i++) {
        double v = round(ntk != null ? diagNtk[i] : vOut[i]);
        if (!Double.isFinite(v)) {
          nonFinite = "[" + i + "][" + i + "]";
          cancelled = true;
          return;
        }
        data[rowStart(i) + i] = v;
      }
      try {
        bandSink.rows(r0, r1, data, rowStart);
      } catch (RuntimeException e) {
        // An interrupt that stopped the sink's write (a channel closes on it) is a cancellation.
        if (!Thread.currentThread().isInterrupted() && bandFailure == null) {
          bandFailure = e;
        }
        cancelled = true;
      }
    }

    /** Where row i starts in the result arrays: entry (i, j) is at rowStart(i) + j. */
    private int rowStart(int i) {
      return rowStart == null ? i * n2 : rowStart[i];
    }

    /** The stride between rows i and i + 1 when both lie in one band (every row of a full result). */
    private int rowLength(int i) {
      return rowStart == null ? n2 : n2 - i / NATIVE_PANEL * NATIVE_PANEL;
    }

    /** Computes one tile; returns the number of entries it computed. */
    @SuppressWarnings("unchecked")
    private long runTile(int ti, int tj, Buffers b) {
      int i0 = ti * tile;
      int i1 = Math.min(n1, i0 + tile);
      int j0 = tj * tile;
      int j1 = Math.min(n2, j0 + tile);
      int w = j1 - j0;
      boolean diagonalTile = symmetric && ti == tj;
      // On a diagonal tile of K(X, X): the upper triangle with the diagonal (which the diagonal chain fills).
      long entries = diagonalTile ? (long) (i1 - i0) * (i1 - i0 + 1) / 2 : (long) (i1 - i0) * w;
      loadGram(i0, i1, j0, w, b);
      boolean streaming = tileSink != null;
      // Where entry (i, j) goes: the result at i·n2 + j, or this thread's tile at (i − i0)·w + (j − j0).
      double[] outNngp = streaming ? (wantNngp ? b.tileNngp : null) : nngp;
      double[] outNtk = streaming ? (wantNtk ? b.tileNtk : null) : ntk;
      if (sink != null) {
        sink.beginTile(i0, i1, j0, w, b.sinkWorkspace);
      }
      runRows(diagonalTile, i0, i1, j0, j1, b, outNngp, outNtk);
      if (streaming && nonFinite == null) {
        streamTile(diagonalTile, i0, i1, j0, w, wantNtk ? outNtk : outNngp);
      }
      if (nonFinite != null) {
        cancelled = true;
      }
      return entries;
    }

    // runTile's parts are methods of their own, so that the JIT compiles each small loop on its own
    // instead of recompiling one large method (on stack replacement, twice, then whole) during the
    // first real tiles, on the cores those tiles need.

    /**
     * Fills the buffers' Gram block of rows [i0, i1) and columns [j0, j0 + w), or, when the Gram
     * product is in place, points them at it: each row reads its entries there (copied to the
     * workspace by rowInputs) before its results overwrite them, so no copy of the tile is made.
     */
    private void loadGram(int i0, int i1, int j0, int w, Buffers b) {
      if (gramInPlace) {
        // A tile lies in one band (see tile), whose rows are rowLength apart.
        b.gram = nngp != null ? nngp : ntk;
        b.gramStart = rowStart(i0);
        b.gramStride = rowLength(i0);
        return;
      }
      b.gram = b.g;
      b.gramStart = -j0;
      b.gramStride = w;
      if (tiles != null) {
        tiles.tile(i0, i1, j0, w, float32 ? null : b.g, float32 ? b.gf : null);
      } else if (nativeGram) {
        int pi = i0 / NATIVE_PANEL;
        Panel p = panel(pi);
        copyRows(p.gram, (i0 - pi * NATIVE_PANEL) * p.width + (j0 - p.firstColumn), p.width, b.g, w, i1 - i0);
        if (p.remaining.decrementAndGet() == 0) {
          synchronized (panels) {
            panels[pi] = null;
          }
        }
      } else if (float32) {
        Gram.tile(s1.floatRows, d, btf, n2, i0, i1, j0, w, b.gf);
      } else {
        Gram.tile(s1.rows, d, bt, n2, i0, i1, j0, w, b.g);
      }
    }

    /** Copies {@code rows} rows of {@code w} values, {@code stride} apart from {@code from}, to g packed. */
    private static void copyRows(double[] source, int from, int stride, double[] g, int w, int rows) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(source, from + r * stride, g, r * w, w);
      }
    }

    /** The rows of a tile whose Gram block is in the buffers. */
    private void runRows(
        boolean diagonalTile, int i0, int i1, int j0, int j1, Buffers b, double[] outNngp, double[] outNtk) {
      int w = j1 - j0;
      for (int i = i0; i < i1; i++) {
        // On a diagonal tile of a symmetric kernel, only columns j > i (j = i comes from the diagonal chain).
        int js = diagonalTile ? i + 1 : j0;
        if (js < j1) {
          runRow(i, i0, j0, w, js, j1 - js, b, outNngp, outNtk);
        }
      }
    }

    /** Hands a finished tile of a streamed kernel to the sink, with the exact diagonal on a diagonal tile. */
    private void streamTile(boolean diagonalTile, int i0, int i1, int j0, int w, double[] values) {
      if (diagonalTile) {
        // The diagonal from the exact per-point chain, as in the in-memory result.
        for (int i = i0; i < i1; i++) {
          double v = round(wantNtk ? diagNtk[i] : v1[chain.depth()][i]);
          if (!Double.isFinite(v) && nonFinite == null) {
            nonFinite = "[" + i + "][" + i + "]";
          }
          values[(i - i0) * w + (i - j0)] = v;
        }
      }
      if (nonFinite == null) {
        tileSink.tile(i0, i1 - i0, j0, w, values, diagonalTile);
      }
    }
  }
}
