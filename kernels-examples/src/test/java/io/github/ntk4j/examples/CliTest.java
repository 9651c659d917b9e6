package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.PredictOptions;
import io.github.ntk4j.predict.Prediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line against shared/specs/cli.md. */
class CliTest {
  static final String ARCH = "serial(dense(1.5, 0.1), relu(), dense(1.2, 0.05), erf(), dense(1.0, 0.2))";

  @TempDir Path dir;
  Path x1;
  Path x2;

  @BeforeEach
  void inputs() throws IOException {
    x1 = dir.resolve("x1.npy");
    x2 = dir.resolve("x2.csv");
    MatrixFiles.write(x1, Matrix.of(new double[][] {{1, -2, 0.5}, {0.3, 0.8, -1.1}, {0, 0, 0}, {-1, -1, 2}}), Precision.FLOAT64);
    Files.writeString(x2, "0.2,0.1,-0.3\n2,-1,1\n");
  }

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void helpListsCommandsAndLayers() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.status());
    for (String s : new String[] {"kernel", "predict", "info", "demo", "dense(weightStd", "relu()", "abrelu(a, b)", "erf("}) {
      assertTrue(r.out().contains(s), "help lacks " + s);
    }
    CliRun k = CliRun.of("kernel", "--help");
    assertEquals(0, k.status());
    assertTrue(k.out().contains("--get"));
  }

  @Test
  void infoNamesVersionsAndBackends() {
    CliRun r = CliRun.of("info");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("ntk4j "), r.out());
    assertTrue(r.out().contains("java " + System.getProperty("java.version")));
    assertTrue(r.out().contains("cpu     usable"));
    assertTrue(r.out().contains("opencl"));
  }

  @Test
  void kernelWritesWhatTheLibraryComputes() throws IOException {
    for (String get : new String[] {"nngp", "ntk"}) {
      CliRun r = CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--get", get, "--out", p(get + ".npy"));
      assertEquals(0, r.status(), r.err());
      assertEquals("", r.err());
      Matrix expected =
          Kernels.compute(Architectures.parse(ARCH), MatrixFiles.read(x1), MatrixFiles.read(x2), EnumSet.of(KernelKind.fromName(get))).get(KernelKind.fromName(get));
      assertEquals(expected, MatrixFiles.read(dir.resolve(get + ".npy")), get);
    }
    // --x2 defaults to --x1; csv output; flags as --name=value; threads do not change the result
    assertEquals(0, CliRun.of("kernel", "--arch=" + ARCH, "--x1=" + x1, "--get=ntk", "--out=" + p("self.csv"), "--threads=1").status());
    assertEquals(0, CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--get", "ntk", "--out", p("self.npy"), "--threads", "3", "--tile", "16").status());
    Matrix csv = MatrixFiles.read(dir.resolve("self.csv"));
    assertEquals(4, csv.rows());
    assertEquals(csv, MatrixFiles.read(dir.resolve("self.npy")));
  }

  @Test
  void theOpenClBackendWritesTheCpuKernelOrFailsWithOneLine() throws IOException {
    CliRun r = CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--get", "ntk", "--out", p("cl.npy"),
        "--backend", "opencl");
    if (io.github.ntk4j.internal.Backends.find("opencl").flatMap(b -> b.unavailableReason()).isPresent()) {
      assertEquals(2, r.status(), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(Files.notExists(dir.resolve("cl.npy")));
      return;
    }
    assertEquals(0, r.status(), r.err());
    CliRun cpu = CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--get", "ntk", "--out", p("cpu.npy"),
        "--backend", "cpu");
    assertEquals(0, cpu.status(), cpu.err());
    io.github.ntk4j.testing.KernelChecks.agreement("opencl vs cpu", MatrixFiles.read(dir.resolve("cpu.npy")),
        MatrixFiles.read(dir.resolve("cl.npy")), 1e-12).orThrow();
  }

  @Test
  void signNtkIsWrittenWithMovingPointsAsRowsAndSteppedPointsAsColumns() throws IOException {
    // Reference values of shared/math/adaptive-limits.md §4.6 (architecture A): not symmetric.
    Path ref = dir.resolve("ref.csv");
    Files.writeString(ref, "1.0,-2.0,0.5\n0.3,0.8,-1.1\n-1.0,-1.0,2.0\n");
    String a = "serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), relu(), dense(0.8, 0.5))";
    CliRun r = CliRun.of("kernel", "--arch", a, "--x1", ref.toString(), "--get", "sign-ntk", "--out", p("sign.npy"));
    assertEquals(0, r.status(), r.err());
    Matrix k = MatrixFiles.read(dir.resolve("sign.npy"));
    assertEquals(0.794792629603, k.get(0, 1), 1e-11);
    assertEquals(0.679702220564, k.get(1, 0), 1e-11);
    // A rectangular block equals the same block of the kernel on the union of the points.
    Path second = dir.resolve("second.csv");
    Files.writeString(second, "-1.0,-1.0,2.0\n1.0,-2.0,0.5\n");
    assertEquals(0, CliRun.of("kernel", "--arch", a, "--x1", ref.toString(), "--x2", second.toString(), "--get", "sign-ntk", "--out", p("block.csv")).status());
    Matrix block = MatrixFiles.read(dir.resolve("block.csv"));
    for (int i = 0; i < 3; i++) {
      assertEquals(k.get(i, 2), block.get(i, 0), 1e-15);
      assertEquals(k.get(i, 0), block.get(i, 1), 1e-15);
    }
  }

  @Test
  void everyLayerOfTheContractWorksInArch() throws IOException {
    String[] layers = {
      "leakyrelu(0.1)", "abs()", "identity()", "erf(0.5, 0.4, 0.5)", "gelu()", "sin(1, 1, 0)", "cos(1, 1, 0)",
      "exp(1, 0.2)", "gaussian(1, -0.5)", "rbf(0.5)", "sign()", "step()", "monomial(2)", "layernorm()"
    };
    for (String layer : layers) {
      String arch = "serial(dense(1.2, 0.1), " + layer + ", dense(0.9, 0.1))";
      CliRun r = CliRun.of("kernel", "--arch", arch, "--x1", x1.toString(), "--get", "ntk", "--out", p("l.npy"));
      assertEquals(0, r.status(), layer + ": " + r.err());
      assertEquals(Kernels.ntk(Architectures.parse(arch), MatrixFiles.read(x1), null), MatrixFiles.read(dir.resolve("l.npy")), layer);
    }
    String residual = "serial(dense(1.2,0.1),parallel(identity(),serial(relu(),dense(0.9)),fanin=sum),scale(0.7),bias(0.1),relu(),dense(1))";
    x1 = dir.resolve("x1b.csv");
    Files.writeString(x1, "1,-2,0.5\n0.3,0.8,-1.1\n");
    CliRun r = CliRun.of("kernel", "--arch", residual, "--x1", x1.toString(), "--get", "nngp", "--out", p("res.csv"));
    assertEquals(0, r.status(), r.err());
    CliRun help = CliRun.of("--help");
    for (String name : new String[] {"gelu()", "monomial(k)", "parallel(layer", "layernorm()", "scale(c)", "bias(biasStd)"}) {
      assertTrue(help.out().contains(name), "--help lacks " + name);
    }
  }

  /**
   * K(X, X) to a .npy file on the CPU is held in bands and written as it is computed: the file holds
   * the library's kernel exactly, in float64 and float32, over several bands of rows.
   */
  @Test
  void aKernelOfOneSetOnTheCpuIsTheLibrarysExactly() throws IOException {
    java.util.SplittableRandom r = new java.util.SplittableRandom(17);
    double[][] rows = new double[600][5];
    for (double[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        row[c] = r.nextGaussian();
      }
    }
    Path x = dir.resolve("x600.npy");
    MatrixFiles.write(x, Matrix.of(rows), Precision.FLOAT64);
    for (Precision precision : Precision.values()) {
      String name = "k600" + precision + ".npy";
      CliRun run = CliRun.of("kernel", "--arch", ARCH, "--x1", x.toString(), "--get", "nngp", "--backend", "cpu",
          "--precision", precision.name().toLowerCase(java.util.Locale.ROOT), "--threads", "2", "--tile", "64",
          "--out", p(name));
      assertEquals(0, run.status(), run.err());
      Matrix expected = Kernels.compute(Architectures.parse(ARCH), Matrix.of(rows), null, EnumSet.of(KernelKind.NNGP),
          io.github.ntk4j.ComputeOptions.defaults().withBackend(io.github.ntk4j.Backend.CPU).withPrecision(precision))
          .nngp();
      assertEquals(expected, MatrixFiles.read(dir.resolve(name)), precision.toString());
    }
  }

  @Test
  void float32OutputIsWrittenAsF4() throws IOException {
    CliRun r = CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--get", "ntk", "--precision", "float32", "--out", p("k32.npy"));
    assertEquals(0, r.status(), r.err());
    String header = new String(Files.readAllBytes(dir.resolve("k32.npy")), 0, 80, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'descr': '<f4'"), header);
    Matrix f64 = Kernels.ntk(Architectures.parse(ARCH), MatrixFiles.read(x1), null);
    Matrix f32 = MatrixFiles.read(dir.resolve("k32.npy"));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(f64.get(i, j), f32.get(i, j), 1e-5 * Math.abs(f64.get(i, j)) + 1e-7);
      }
    }
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "frobnicate|unknown command 'frobnicate'",
        "predict --arch dense(1) --train-x X1 --train-y Y3 --test-x X1 --out OUT|--train-y",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x WIDE --out OUT|--test-x",
        "predict --arch dense(1) --train-x X1 --train-y NAN --test-x X1 --out OUT|row 0, column 1 is 'nan'",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --time -1|--time must be a number >= 0",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --time soon|--time must be a number >= 0",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --learning-rate 0|--learning-rate must be a number > 0",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --diag-reg -0.1|--diag-reg must be a number >= 0",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --diag-reg nan|--diag-reg must be a finite number",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --get sign-ntk|--get must be one of nngp|ntk",
        "predict --arch dense(1) --train-x X1 --test-x X1 --out OUT|missing required flag --train-y",
        "predict --arch dense(1) --train-x X1 --train-y Y4 --test-x X1 --out OUT --cov-out OUT|--cov-out must differ",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --bogus 1|unknown flag --bogus",
        "kernel --x1 X1 --get ntk --out OUT|missing required flag --arch",
        "kernel --arch dense(1) --x1 X1 --get ntk|missing required flag --out",
        "kernel --arch dense(1) --get ntk --out OUT|missing required flag --x1",
        "kernel --arch dense(1) --x1 X1 --out OUT|missing required flag --get",
        "kernel --arch dense(1 --x1 X1 --get ntk --out OUT|architecture: expected ')'",
        "kernel --arch dense(-1) --x1 X1 --get ntk --out OUT|weightStd must be a finite number >= 0",
        "kernel --arch relu() --x1 X1 --get ntk --out OUT|an activation needs a Dense layer",
        "kernel --arch dense(1) --x1 MISSING --get ntk --out OUT|file not found",
        "kernel --arch dense(1) --x1 RAGGED --get ntk --out OUT|row 1 has 1 values, expected 2",
        "kernel --arch dense(1) --x1 NAN --get ntk --out OUT|row 0, column 1 is 'nan'",
        "kernel --arch dense(1) --x1 X1 --x2 WIDE --get ntk --out OUT|--x2",
        "kernel --arch dense(1) --x1 X1 --get ntk2 --out OUT|--get must be one of nngp|ntk|sign-ntk",
        "kernel --arch serial(dense(1),relu()) --x1 X1 --get sign-ntk --out OUT|must end with a dense layer",
        "kernel --arch serial(dense(1),erf(1,1,0.5),dense(1)) --x1 X1 --get sign-ntk --out OUT|erf(1, 1, 0.5) has no closed-form SignSGD kernel",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --backend gpu|--backend must be one of",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --threads 0|--threads must be a whole number >= 1",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --precision half|--precision must be one of",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --tile 4|--tile",
        "kernel --arch dense(1) --x1 X1 --get ntk --out out.txt|unknown file type",
        "kernel --arch dense(1) --x1 X1 --get ntk --out nodir/out.npy|file not found",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT --get nngp|--get given twice",
        "kernel --arch dense(1) --x1 X1 --get ntk --out OUT stray|unexpected argument 'stray'",
      })
  void badInputExitsWithTwoAndOneLineAndNoFile(String line, String expected) throws IOException {
    Files.writeString(dir.resolve("ragged.csv"), "1,2\n3\n");
    Files.writeString(dir.resolve("nan.csv"), "1,nan\n");
    Files.writeString(dir.resolve("wide.csv"), "1,2,3,4\n");
    Files.writeString(dir.resolve("y3.csv"), "1\n2\n3\n");
    Files.writeString(dir.resolve("y4.csv"), "1\n2\n3\n4\n");
    List<String> args = new ArrayList<>();
    for (String a : line.split(" ")) {
      args.add(switch (a) {
        case "X1" -> x1.toString();
        case "OUT" -> p("out.npy");
        case "MISSING" -> p("missing.npy");
        case "RAGGED" -> p("ragged.csv");
        case "NAN" -> p("nan.csv");
        case "WIDE" -> p("wide.csv");
        case "Y3" -> p("y3.csv");
        case "Y4" -> p("y4.csv");
        case "out.txt", "nodir/out.npy" -> p(a);
        default -> a;
      });
    }
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("ntk4j: error: "), r.err());
    assertTrue(r.err().contains(expected), () -> r.err() + " lacks " + expected);
    assertFalse(r.err().contains("Exception"), r.err());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
      assertFalse(names.contains("out.npy"), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), names.toString());
    }
  }

  @Test
  void predictWritesWhatTheLibraryPredicts() throws IOException {
    Path y = dir.resolve("y.csv");
    Files.writeString(y, "1,0\n-0.5,1\n0.25,0\n0,-1\n");
    Matrix trainX = MatrixFiles.read(x1);
    Matrix trainY = MatrixFiles.read(y);
    Matrix testX = MatrixFiles.read(x2);
    InfiniteEnsemble e = InfiniteEnsemble.fit(Architectures.parse(ARCH), trainX, trainY, PredictOptions.defaults());
    // Defaults: --get ntk, --time inf, no regularization, learning rate 1.
    CliRun r = CliRun.of("predict", "--arch", ARCH, "--train-x", x1.toString(), "--train-y", y.toString(), "--test-x", x2.toString(),
        "--out", p("mean.npy"));
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err() + r.out());
    assertEquals(e.predict(testX, KernelKind.NTK, Double.POSITIVE_INFINITY).mean(), MatrixFiles.read(dir.resolve("mean.npy")));
    // Every option, and the covariance.
    InfiniteEnsemble reg = e.withOptions(PredictOptions.defaults().withLearningRate(2).withDiagReg(0.01));
    Prediction expected = reg.predict(testX, KernelKind.NNGP, 3.5, true);
    r = CliRun.of("predict", "--arch", ARCH, "--train-x", x1.toString(), "--train-y", y.toString(), "--test-x", x2.toString(),
        "--out", p("mean.csv"), "--get", "nngp", "--time", "3.5", "--learning-rate", "2", "--diag-reg", "0.01",
        "--cov-out", p("cov.npy"), "--threads", "1");
    assertEquals(0, r.status(), r.err());
    Matrix mean = MatrixFiles.read(dir.resolve("mean.csv"));
    assertEquals(2, mean.rows());
    assertEquals(2, mean.cols());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) { // csv round-trips doubles exactly
        assertEquals(expected.mean().get(i, j), mean.get(i, j));
      }
    }
    assertEquals(expected.covariance().orElseThrow(), MatrixFiles.read(dir.resolve("cov.npy")));
    // Without --cov-out only the training kernel of the kind is computed: the same mean.
    r = CliRun.of("predict", "--arch", ARCH, "--train-x", x1.toString(), "--train-y", y.toString(), "--test-x", x2.toString(),
        "--out", p("mean-only.npy"), "--get", "nngp", "--time", "3.5", "--learning-rate", "2", "--diag-reg", "0.01");
    assertEquals(0, r.status(), r.err());
    assertEquals(expected.mean(), MatrixFiles.read(dir.resolve("mean-only.npy")));
  }

  @Test
  void predictWithDuplicateTrainingInputsAndNoRegularizationSuggestsDiagReg() throws IOException {
    Path dup = dir.resolve("dup.csv");
    Files.writeString(dup, "1,2,3\n0,1,0\n1,2,3\n");
    Path y = dir.resolve("y.csv");
    Files.writeString(y, "1\n2\n3\n");
    CliRun r = CliRun.of("predict", "--arch", ARCH, "--train-x", dup.toString(), "--train-y", y.toString(), "--test-x", dup.toString(),
        "--out", p("mean.npy"));
    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--diag-reg"), r.err());
    assertFalse(Files.exists(dir.resolve("mean.npy")));
    r = CliRun.of("predict", "--arch", ARCH, "--train-x", dup.toString(), "--train-y", y.toString(), "--test-x", dup.toString(),
        "--out", p("mean.npy"), "--diag-reg", "1e-6");
    assertEquals(0, r.status(), r.err());
  }

  @Test
  void progressBarIsErasedAndLeavesTheResultAlone() throws IOException {
    CliRun r = CliRun.of("kernel", "--arch", ARCH, "--x1", x1.toString(), "--get", "ntk", "--out", p("p.npy"), "--progress");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("100%"), r.err());
    assertTrue(r.err().endsWith("\r"), "the bar is erased: " + r.err());
    assertEquals("", r.out());
    assertEquals(Kernels.ntk(Architectures.parse(ARCH), MatrixFiles.read(x1), null), MatrixFiles.read(dir.resolve("p.npy")));
    // predict meters its training kernel the same way.
    Path y = dir.resolve("yp.csv");
    Files.writeString(y, "1\n-0.5\n0.25\n0\n");
    r = CliRun.of("predict", "--arch", ARCH, "--train-x", x1.toString(), "--train-y", y.toString(), "--test-x", x2.toString(),
        "--out", p("pm.npy"), "--progress");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("training kernel") && r.err().contains("100%"), r.err());
    // then the prediction's elapsed time, which has no measure of progress
    assertTrue(r.err().contains("ntk4j: predicting 2 points from 4, "), r.err());
    assertTrue(r.err().endsWith("\r"), "the bar is erased: " + r.err());
    assertEquals(InfiniteEnsemble.fit(Architectures.parse(ARCH), MatrixFiles.read(x1), MatrixFiles.read(y), PredictOptions.defaults())
        .predict(MatrixFiles.read(x2), KernelKind.NTK, Double.POSITIVE_INFINITY).mean(), MatrixFiles.read(dir.resolve("pm.npy")));
  }

  @Test
  void verbosePrintsTheStackTrace() {
    CliRun r = CliRun.of("kernel", "--verbose", "--arch", "dense(", "--x1", x1.toString(), "--get", "ntk", "--out", p("o.npy"));
    assertEquals(2, r.status());
    assertTrue(r.err().lines().count() > 3, r.err());
  }

  @Test
  void overflowIsAFailureWithExitOne() {
    StringBuilder deep = new StringBuilder("serial(dense(1000)");
    for (int i = 0; i < 60; i++) {
      deep.append(",relu(),dense(1000)");
    }
    CliRun r = CliRun.of("kernel", "--arch", deep + ")", "--x1", x1.toString(), "--get", "ntk", "--out", p("o.npy"));
    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().lines().count());
    assertTrue(r.err().contains("not finite"), r.err());
    assertFalse(Files.exists(dir.resolve("o.npy")));
  }

  @Test
  void demoPrintsAnAccuracyTable() {
    CliRun r = CliRun.of("demo");
    assertEquals(0, r.status(), r.err());
    // Every row reports an accuracy; kernel regression on these digits is well above 90%.
    List<Double> acc = new ArrayList<>();
    r.out().lines().filter(l -> l.startsWith("nngp") || l.startsWith("ntk")).forEach(l -> {
      String pct = l.replaceAll(".*?(\\d+\\.\\d+)%.*", "$1");
      acc.add(Double.parseDouble(pct));
    });
    assertEquals(6, acc.size(), r.out());
    assertTrue(acc.stream().allMatch(a -> a > 90), r.out());
  }

  @Test
  void flagsOfOneCommandAreUnknownToAnother() {
    CliRun r = CliRun.of("info", "--arch", "x");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("info: unknown flag --arch"), r.err());
  }
}
