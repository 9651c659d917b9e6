package io.github.ntk4j.opencl.internal;

import org.jocl.CL;
import org.jocl.cl_kernel;

/**
 * Enqueues a kernel over an m×w tile: dimension 0 runs over blocks of {@link
 * DeviceContext#BLOCK_ROWS} rows, dimension 1 over blocks of {@link DeviceContext#BLOCK_COLS}
 * columns.
 */
final class Launch {
  /** Work-group shape; global sizes are rounded up to it (out-of-range work-items return at once). */
  static final int GROUP_ROWS = 8;
  static final int GROUP_COLUMNS = 8;

  private Launch() {}

  static void run(DeviceContext ctx, cl_kernel k, int m, int w) {
    long gx = roundUp((m + DeviceContext.BLOCK_ROWS - 1) / DeviceContext.BLOCK_ROWS, GROUP_ROWS);
    long gy = roundUp((w + DeviceContext.BLOCK_COLS - 1) / DeviceContext.BLOCK_COLS, GROUP_COLUMNS);
    int rc = CL.clEnqueueNDRangeKernel(
        ctx.queue(), k, 2, null, new long[] {gx, gy}, new long[] {GROUP_ROWS, GROUP_COLUMNS}, 0, null, null);
    Cl.check(rc, "clEnqueueNDRangeKernel", ctx.deviceName);
  }

  private static long roundUp(int n, int group) {
    return (long) (n + group - 1) / group * group;
  }
}
