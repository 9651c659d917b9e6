package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.opencl.DeviceInfo;
import io.github.ntk4j.opencl.OpenClException;

/** The largest tile edge whose buffers fit the device's memory. */
final class TileSize {
  /** Smallest tile worth a launch. */
  static final int MIN = 16;

  private TileSize() {}

  /**
   * The largest t ≤ maxTile (halving) whose buffers fit in half the device's global memory, with each
   * buffer under the device's largest allocation.
   *
   * @throws OpenClException when even a tile of {@link #MIN} does not fit
   */
  static int fit(DeviceContext ctx, int maxTile, int d, int depth, boolean fp64) {
    DeviceInfo info = ctx.info();
    long element = fp64 ? 8 : 4;
    for (int t = maxTile; t >= MIN; t /= 2) {
      long rows = (long) t * d * element;
      long out = (long) t * t * element;
      long all = 2 * rows + 2 * out + (2L * (depth + 1) * t + 4L * t) * element;
      if (rows <= info.maxAllocationBytes() && out <= info.maxAllocationBytes() && all <= info.globalMemoryBytes() / 2) {
        return t;
      }
    }
    throw ctx.failure(String.format("a tile of %d rows of d = %d does not fit in the device's memory (%.2f GB, %.2f GB"
        + " per buffer); use the cpu backend", MIN, d, info.globalMemoryBytes() / 1e9, info.maxAllocationBytes() / 1e9));
  }
}
