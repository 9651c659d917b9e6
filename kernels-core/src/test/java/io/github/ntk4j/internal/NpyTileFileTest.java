package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A streamed .npy file larger than the disk is refused before any computing, leaving no file. */
class NpyTileFileTest {
  @TempDir Path dir;

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
