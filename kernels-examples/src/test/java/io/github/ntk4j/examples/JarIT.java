package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code target/ntk4j.jar} as the README and the contract do, in a separate JVM:
 * the manifest, its class path and the real exit codes.
 */
class JarIT {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  static Result java(String... args) throws IOException, InterruptedException {
    return javaWithEnvironment(java.util.Map.of(), args);
  }

  static Result javaWithEnvironment(java.util.Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path jar = Path.of("target", "ntk4j.jar");
    assertTrue(Files.isRegularFile(jar), "run 'mvn package' first: " + jar.toAbsolutePath());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(env.getOrDefault("JAVA_OPTIONS", "-Xshare:auto").split(" ")));
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().remove("JAVA_OPTIONS");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void theJarRunsOnItsOwn() throws Exception {
    Result help = java("--help");
    assertEquals(0, help.status(), help.err());
    assertTrue(help.out().contains("kernel"));
    Result info = java("info");
    assertEquals(0, info.status(), info.err());
    Path x = dir.resolve("x.csv");
    Files.writeString(x, "1,2\n3,4\n0,0\n");
    Path out = dir.resolve("k.npy");
    Result ok = java("kernel", "--arch", "serial(dense(1.5,0.1),relu(),dense(1))", "--x1", x.toString(), "--get", "ntk", "--out", out.toString());
    assertEquals(0, ok.status(), ok.err());
    assertTrue(Files.size(out) > 128);
    // predict needs EJML from lib/ through the manifest class path.
    Path y = dir.resolve("y.csv");
    Files.writeString(y, "1\n-1\n0.5\n");
    Path mean = dir.resolve("mean.csv");
    Result predict = java("predict", "--arch", "serial(dense(1.5,0.1),relu(),dense(1,0.1))", "--train-x", x.toString(),
        "--train-y", y.toString(), "--test-x", x.toString(), "--out", mean.toString(), "--time", "5");
    assertEquals(0, predict.status(), predict.err());
    assertEquals(3, Files.readAllLines(mean).size());
    Result bad = java("kernel", "--arch", "serial(relu())", "--x1", x.toString(), "--get", "ntk", "--out", dir.resolve("bad.npy").toString());
    assertEquals(2, bad.status());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertTrue(Files.notExists(dir.resolve("bad.npy")));
  }

  /**
   * With no OpenCL platform (the ICD loader pointed at an empty vendor directory), {@code info} says
   * why, {@code --backend opencl} fails with exit status 2 and one line naming the OpenCL error, and
   * {@code --backend auto} computes on the CPU.
   */
  @Test
  void withoutAnOpenClPlatformOpenClFailsClearlyAndAutoUsesTheCpu() throws Exception {
    Path vendors = Files.createDirectory(dir.resolve("no-vendors"));
    java.util.Map<String, String> env = java.util.Map.of("OCL_ICD_VENDORS", vendors.toString());
    Result info = javaWithEnvironment(env, "info");
    assertEquals(0, info.status(), info.err());
    assertTrue(info.out().contains("opencl  unavailable"), info.out());
    Path x = dir.resolve("x.csv");
    Files.writeString(x, "1,2\n3,4\n0,0\n");
    Path out = dir.resolve("k.npy");
    Result explicit = javaWithEnvironment(env, "kernel", "--arch", "serial(dense(1.5,0.1),relu(),dense(1))", "--x1",
        x.toString(), "--get", "ntk", "--out", out.toString(), "--backend", "opencl");
    assertEquals(2, explicit.status(), explicit.out() + explicit.err());
    assertEquals(1, explicit.err().lines().count(), explicit.err());
    assertTrue(explicit.err().contains("opencl"), explicit.err());
    assertTrue(Files.notExists(out));
    Result auto = javaWithEnvironment(env, "kernel", "--arch", "serial(dense(1.5,0.1),relu(),dense(1))", "--x1",
        x.toString(), "--get", "ntk", "--out", out.toString());
    assertEquals(0, auto.status(), auto.err());
    assertTrue(Files.size(out) > 128);
  }

  /**
   * A kernel four times larger than the heap: the command streams it to the .npy file, which then
   * holds the values the library computes in memory.
   */
  @Test
  void aKernelLargerThanTheHeapIsStreamedToTheFile() throws Exception {
    int n = 6000;
    double[][] rows = new double[n][];
    java.util.SplittableRandom r = new java.util.SplittableRandom(9);
    for (int i = 0; i < n; i++) {
      rows[i] = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
    }
    Path x = dir.resolve("x.npy");
    io.github.ntk4j.io.MatrixFiles.write(x, io.github.ntk4j.Matrix.of(rows), io.github.ntk4j.Precision.FLOAT64);
    Path out = dir.resolve("k.npy");
    String arch = "serial(dense(1.5,0.1),relu(),dense(1.5,0.1))";
    Result big = javaWithEnvironment(java.util.Map.of("JAVA_OPTIONS", "-Xmx72m"), "kernel", "--arch", arch, "--x1",
        x.toString(), "--get", "ntk", "--out", out.toString());
    assertEquals(0, big.status(), big.err());
    assertEquals(128 + 8L * n * n, Files.size(out));
    // Check a block against the library, without reading the 288 MB file into memory.
    io.github.ntk4j.Matrix head = io.github.ntk4j.Matrix.of(java.util.Arrays.copyOf(rows, 50));
    io.github.ntk4j.Matrix tail = io.github.ntk4j.Matrix.of(java.util.Arrays.copyOfRange(rows, n - 40, n));
    io.github.ntk4j.Matrix expected = io.github.ntk4j.Kernels.compute(io.github.ntk4j.layers.Architectures.parse(arch),
        head, tail, java.util.EnumSet.of(io.github.ntk4j.KernelKind.NTK),
        io.github.ntk4j.ComputeOptions.defaults().withBackend(io.github.ntk4j.Backend.CPU)).ntk();
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(out)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 50; i += 7) {
        for (int j = 0; j < 40; j += 5) {
          b.clear();
          ch.read(b, 128 + 8L * ((long) i * n + (n - 40 + j)));
          assertEquals(expected.get(i, j), b.getDouble(0), "entry " + i + ", " + (n - 40 + j));
          b.clear();
          ch.read(b, 128 + 8L * ((long) (n - 40 + j) * n + i));
          assertEquals(expected.get(i, j), b.getDouble(0), "mirrored entry " + (n - 40 + j) + ", " + i);
        }
      }
    }
  }

  /**
   * Streaming holds the inputs and a few Gram blocks, not copies of the inputs: a 3000×1000 input
   * (24 MB) streams in a 72 MB heap, where the earlier check asked for three times the input
   * (72 MB) and refused. float32, which copies the inputs, is refused up front with the sizes.
   */
  @Test
  void aStreamedKernelNeedsTheInputsAndItsGramBlocksOnly() throws Exception {
    int n = 3000;
    int d = 1000;
    double[][] rows = new double[n][d];
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    for (double[] row : rows) {
      for (int c = 0; c < d; c++) {
        row[c] = r.nextGaussian();
      }
    }
    Path x = dir.resolve("x.npy");
    io.github.ntk4j.io.MatrixFiles.write(x, io.github.ntk4j.Matrix.of(rows), io.github.ntk4j.Precision.FLOAT64);
    String arch = "serial(dense(1.5,0.1),relu(),dense(1.5,0.1))";
    Path out = dir.resolve("k.npy");
    Result streamed = javaWithEnvironment(java.util.Map.of("JAVA_OPTIONS", "-Xmx72m"), "kernel", "--arch", arch,
        "--x1", x.toString(), "--get", "ntk", "--out", out.toString(), "--stream");
    assertEquals(0, streamed.status(), streamed.err());
    assertEquals(128 + 8L * n * n, Files.size(out));
    Path out32 = dir.resolve("k32.npy");
    Result refused = javaWithEnvironment(java.util.Map.of("JAVA_OPTIONS", "-Xmx72m"), "kernel", "--arch", arch,
        "--x1", x.toString(), "--get", "ntk", "--out", out32.toString(), "--stream", "--precision", "float32");
    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains("MB of heap") && refused.err().contains("-Xmx"), refused.err());
    assertFalse(Files.exists(out32), "no file is left");
  }
}
