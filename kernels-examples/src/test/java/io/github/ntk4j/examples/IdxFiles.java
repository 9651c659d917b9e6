package io.github.ntk4j.examples;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small generated IDX files in the layout of Fashion-MNIST, for tests. */
final class IdxFiles {
  private IdxFiles() {}

  /**
   * Writes {@code prefix-images-idx3-ubyte[.gz]} (n images of 6×5 pixels) and the labels file; each
   * image is bright at the pixels k ≡ label (mod 10) plus noise, so the classes can be learned.
   */
  static void write(Path dir, String prefix, int n, SplittableRandom rnd, boolean gzip) throws IOException {
    String suffix = gzip ? ".gz" : "";
    try (DataOutputStream img = new DataOutputStream(open(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip));
        DataOutputStream lab = new DataOutputStream(open(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip))) {
      img.writeInt(0x803);
      img.writeInt(n);
      img.writeInt(6);
      img.writeInt(5);
      lab.writeInt(0x801);
      lab.writeInt(n);
      for (int i = 0; i < n; i++) {
        int label = rnd.nextInt(10);
        lab.writeByte(label);
        for (int k = 0; k < 30; k++) {
          img.writeByte((k % 10 == label ? 200 : 0) + rnd.nextInt(50));
        }
      }
    }
  }

  private static OutputStream open(Path p, boolean gzip) throws IOException {
    OutputStream o = Files.newOutputStream(p);
    return gzip ? new GZIPOutputStream(o) : o;
  }
}
