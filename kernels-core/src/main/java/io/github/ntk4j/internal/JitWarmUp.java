package io.github.ntk4j.internal;

import io.github.ntk4j.layers.Layer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first large kernel of a process runs its per-entry chain while the JIT is still compiling it:
 * about 100 ms of a command line's 0.6 s went to running that code interpreted and to compiling it
 * on the cores the tiles need. A warm-up runs the same chain on a small synthetic kernel on a daemon
 * thread, so that the JIT compiles it on an otherwise idle core, and is stopped (and joined) when
 * the real kernel's Gram product starts. It computes nothing that is used: results do not depend on
 * it. At most one per process.
 *
 * <p>Two ways in: {@link #forKernel} from the engine itself, for a kernel of at least 2²² entries,
 * which warms up while the caller prepares the inputs and the result; and {@link #ahead} (public
 * {@code Kernels.warmUp}), which a short program calls before it even reads its inputs, and which
 * also loads the native BLAS and the logging back end, on a second thread beside it.
 *
 * <p>This class holds no logger and touches no other class on the caller's thread, so that starting
 * an early warm-up costs the caller only a thread start; everything else happens on the new thread.
 */
public final class JitWarmUp {
  private static final AtomicBoolean DONE = new AtomicBoolean();
  private static final AtomicInteger STARTS = new AtomicInteger();
  /** Only kernels of at least this many entries, where the chain's compilation is worth warming. */
  private static final long MIN_ENTRIES = 1L << 22;
  private static final JitWarmUp NONE = new JitWarmUp(null, null, null);
  /** The warm-up in progress, if any: the next kernel stops it. */
  private static volatile JitWarmUp running;

  private final Thread thread;
  private final AtomicBoolean stop;
  private final AtomicInteger rounds;
  private final long started = System.nanoTime();

  private JitWarmUp(Thread thread, AtomicBoolean stop, AtomicInteger rounds) {
    this.thread = thread;
    this.stop = stop;
    this.rounds = rounds;
  }

  /** Lets the next large kernel (or early call) of this process warm up again (tests). */
  static void rearm() {
    DONE.set(false);
  }

  /** How many warm-ups this process has started (tests). */
  static int starts() {
    return STARTS.get();
  }

  /** Whether a warm-up may start in this process: two or more threads, two or more CPUs, not disabled. */
  private static boolean allowed(int threads) {
    return threads >= 2 && Runtime.getRuntime().availableProcessors() >= 2 && !Boolean.getBoolean("ntk4j.noWarmUp");
  }

  /**
   * Starts a warm-up ahead of the first kernel, before the caller has its inputs: one new thread
   * loads the native BLAS, another compiles the chain of {@code architecture} and runs the synthetic
   * kernels until the next kernel computed on the CPU stops it, or it has run a dozen. Does nothing
   * when a warm-up already ran in this process or is not {@linkplain #allowed allowed}.
   */
  public static void ahead(Layer architecture, boolean wantNngp, boolean wantNtk, boolean float32, int threads) {
    if (!allowed(threads) || !DONE.compareAndSet(false, true)) {
      return;
    }
    Thread loader = new Thread(new NativeLoad(), "ntk4j-native-load");
    loader.setDaemon(true);
    loader.start();
    launch(new Body(architecture, null, wantNngp, wantNtk, float32));
  }

  /** Loads the native BLAS (and the logging back end) on a thread of its own. */
  private static final class NativeLoad implements Runnable {
    @Override
    public void run() {
      try {
        NativeBlas.available();
      } catch (LinkageError e) {
        // The caller's own first use reports it.
      }
    }
  }

  /**
   * The warm-up of a kernel about to be prepared: the one already running (started {@link #ahead}),
   * else a new one for a kernel of at least 2²² entries, else none. The caller {@linkplain #stop
   * stops} it when its preparation ends.
   */
  static JitWarmUp forKernel(Chain chain, long entries, boolean wantNngp, boolean wantNtk, boolean float32, int threads) {
    JitWarmUp r = running;
    if (r != null) {
      return r;
    }
    if (entries < MIN_ENTRIES || !allowed(threads) || !DONE.compareAndSet(false, true)) {
      return NONE;
    }
    return launch(new Body(null, chain, wantNngp, wantNtk, float32));
  }

  /** Stops the warm-up in progress, if any (a computation that does not use it is starting). */
  public static void stopRunning() {
    JitWarmUp r = running;
    if (r != null) {
      r.stop();
    }
  }

  private static JitWarmUp launch(Body body) {
    Thread t = new Thread(body, "ntk4j-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    JitWarmUp w = new JitWarmUp(t, body.stop, body.rounds);
    running = w;
    STARTS.incrementAndGet();
    t.start();
    return w;
  }

  /** Stops the warm-up and waits for it, so that it does not compete with the real tiles. */
  void stop() {
    if (thread == null) {
      return;
    }
    stop.set(true);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        // Joining is short (one small tile, or the library load under way); the interrupt is kept.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (running == this) {
      running = null;
      CpuEngine.logWarmUp(rounds.get(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  /**
   * Runs the two passes every input takes before its kernel (the finiteness check of a file read
   * and the rows' scaling) on a small synthetic input, so that they are compiled by the time the
   * caller's input is read: started with the caller's reading, they otherwise ran interpreted and
   * then in the compiler's queue behind the chain's methods (about half of the main thread's Java
   * samples in a profile of the command line). Short rows, called often: their loops
   * ({@link MatrixBridge#maxAbs}, {@link Gram#dot}) reach the JIT's call threshold before its loop
   * threshold, and are compiled once, whole, instead of first on stack replacement and then again.
   */
  private static void scanInputs() {
    double[] x = new double[1 << 14];
    java.util.SplittableRandom r = new java.util.SplittableRandom(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    double[] block = java.util.Arrays.copyOf(x, 1024);
    for (int round = 0; round < 4; round++) {
      MatrixBridge.firstNonFinite(block);
      ScaledRows.of(x, x.length / 16, 16, false, "warm-up");
    }
  }

  /**
   * The warm-up thread's work (a class rather than a lambda: a first lambda costs the caller's
   * thread the bootstrap of the lambda machinery).
   */
  private static final class Body implements Runnable {
    /** Early warm-up: the architecture whose chain is compiled on the warm-up thread; else null. */
    private final Layer architecture;
    /** The engine's warm-up: the kernel's own chain; else null. */
    private final Chain chain;
    private final boolean wantNngp;
    private final boolean wantNtk;
    private final boolean float32;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger rounds = new AtomicInteger();

    Body(Layer architecture, Chain chain, boolean wantNngp, boolean wantNtk, boolean float32) {
      this.architecture = architecture;
      this.chain = chain;
      this.wantNngp = wantNngp;
      this.wantNtk = wantNtk;
      this.float32 = float32;
    }

    @Override
    public void run() {
      try {
        Chain c = chain;
        if (architecture != null) {
          scanInputs();
          c = Chain.compile(architecture, CpuEngine.WARM_UP_DIMENSION);
        }
        if (!stop.get()) {
          CpuEngine.warmUpRounds(c, wantNngp, wantNtk, float32, stop, rounds);
        }
      } catch (RuntimeException | LinkageError e) {
        // An architecture that does not compile fails again, with its message, in the real call.
      }
    }
  }
}
