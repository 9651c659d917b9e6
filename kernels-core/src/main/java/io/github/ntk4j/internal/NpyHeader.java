package io.github.ntk4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The header of a NumPy {@code .npy} file (format version 1.0) for a 2-D C-order float array. */
public final class NpyHeader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private NpyHeader() {}

  /**
   * The header of a rows×cols array of little-endian float64 ({@code <f8}) or float32 ({@code <f4}),
   * padded with spaces so that the data starts at a multiple of 64 bytes.
   */
  public static byte[] of(long rows, long cols, boolean f4) {
    String dict = "{'descr': '" + (f4 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols
        + "), }";
    // Magic (6) + version (2) + length (2) + header, ending in '\n', to a multiple of 64.
    int total = (10 + dict.length() + 1 + 63) / 64 * 64;
    StringBuilder h = new StringBuilder(dict);
    while (10 + h.length() + 1 < total) {
      h.append(' ');
    }
    h.append('\n');
    ByteBuffer buf = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
    buf.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    return buf.array();
  }
}
