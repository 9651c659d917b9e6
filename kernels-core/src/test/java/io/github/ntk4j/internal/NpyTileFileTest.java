package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiles written in any order from several threads, mapped in bands or by positioned writes, give the
 * .npy file of the whole matrix (read back by the library's independent reader); a file larger than
 * the disk is refused before any computing, leaving no file.
 */
class NpyTileFileTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void tilesFromSeveralThreadsInAnyOrderMakeTheWholeMatrix(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int rows = 1 + r.nextInt(90);
    boolean symmetric = r.nextBoolean();
    int cols = symmetric ? rows : 1 + r.nextInt(90);
    boolean f4 = r.nextInt(3) == 0;
    int t = 1 + r.nextInt(20);
    double[][] expected = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = symmetric ? i : 0; j < cols; j++) {
        double v = f4 ? (float) r.nextGaussian() : r.nextGaussian();
        expected[i][j] = v;
        if (symmetric) {
          expected[j][i] = v;
        }
      }
    }
    List<int[]> tiles = new ArrayList<>();
    for (int i0 = 0; i0 < rows; i0 += t) {
      for (int j0 = symmetric ? i0 : 0; j0 < cols; j0 += t) {
        tiles.add(new int[] {i0, j0});
      }
    }
    Collections.shuffle(tiles, new java.util.Random(seed));
    // Bands assembled in memory, written row by row, or a mix of both (a budget for about a third).
    long[] budgets = {0, (long) rows * cols * 8 / 3, Long.MAX_VALUE};
    for (long budget : budgets) {
      Path out = dir.resolve("k" + budget + ".npy");
      try (NpyTileFile file = new NpyTileFile(out, rows, cols, symmetric, f4, budget)) {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int[] tile : tiles) {
            done.add(pool.submit(() -> {
              int m = Math.min(t, rows - tile[0]);
              int w = Math.min(t, cols - tile[1]);
              boolean diagonal = symmetric && tile[0] == tile[1];
              double[] values = new double[m * w];
              for (int a = 0; a < m; a++) {
                for (int b = diagonal ? a : 0; b < w; b++) {
                  values[a * w + b] = expected[tile[0] + a][tile[1] + b];
                }
              }
              file.tile(tile[0], m, tile[1], w, values, diagonal);
            }));
          }
          for (Future<?> f : done) {
            f.get();
          }
        } finally {
          pool.shutdown();
        }
        file.commit();
      }
      assertEquals(io.github.ntk4j.Matrix.of(expected), io.github.ntk4j.io.MatrixFiles.read(out),
          "seed " + seed + ", " + rows + "x" + cols + ", tiles of " + t + ", band budget " + budget);
    }
  }

  @Test
  void aBandWithAMissingTileIsNotCommitted() throws IOException {
    Path out = dir.resolve("missing.npy");
    try (NpyTileFile file = new NpyTileFile(out, 4, 6, false, false, Long.MAX_VALUE)) {
      file.tile(0, 2, 0, 3, new double[6], false); // columns 3..5 of rows 0..1 never come
      file.tile(2, 2, 0, 3, new double[6], false);
      file.tile(2, 2, 3, 3, new double[6], false);
      IOException e = assertThrows(IOException.class, file::commit);
      assertTrue(e.getMessage().contains("rows from 0 on are incomplete"), e.getMessage());
    }
    assertFalse(Files.exists(out), "no file");
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "no temporary file left behind");
    }
  }

  @Test
  void aKernelLargerThanTheFreeDiskIsRefusedAtOnce() throws IOException {
    long n = 1L << 28; // 2^56 entries: 512 PB, larger than any disk this test runs on
    IOException e = assertThrows(IOException.class, () -> new NpyTileFile(dir.resolve("k.npy"), n, n, true, false));
    assertTrue(e.getMessage().contains("GB of disk"), e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count(), "no temporary file is left");
    }
  }
}
