package io.github.ntk4j.examples;

import io.github.ntk4j.layers.Architectures;

/** Help texts of the command line. */
final class Help {
  private Help() {}

  static final String LAYERS = layers();

  private static String layers() {
    StringBuilder sb = new StringBuilder();
    for (String s : Architectures.syntax()) {
      sb.append("    ").append(s).append('\n');
    }
    return sb.toString();
  }

  static final String MAIN =
      "Usage: java -jar ntk4j.jar <command> [flags]\n"
          + "\n"
          + "Kernels of infinitely wide neural networks (NNGP and NTK).\n"
          + "\n"
          + "Commands:\n"
          + "  kernel   compute the NNGP or NTK of an architecture on two input sets and write it to a file\n"
          + "  predict  predictions of an infinitely wide network trained by gradient descent (NTK) or of\n"
          + "           Bayesian inference (NNGP), on test inputs\n"
          + "  info     print the version, the Java runtime and the compute backends usable here\n"
          + "  demo     kernel regression on the embedded UCI digits dataset\n"
          + "  adaptive NTK, SignSGD and Adam infinite-width limits compared on the digits\n"
          + "  fashion-mnist  NNGP and NTK kernel regression on Fashion-MNIST (IDX files), with plots\n"
          + "  feature-learning  feature-learning limits (muP, adaptive kernels, bottleneck) against the\n"
          + "           frozen-feature NNGP/NTK on the digits\n"
          + "  --help   this text; 'ntk4j <command> --help' describes a command\n"
          + "\n"
          + "Global flags: --verbose prints a stack trace with errors and the time of each computation.\n"
          + "\n"
          + "Architecture strings: serial(layer, ...) or one layer; whitespace is ignored. Layers:\n"
          + LAYERS
          + "  Example: serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))\n"
          + "\n"
          + "Exit status: 0 success, 2 bad input (one line on stderr), 1 any other failure.\n";

  static final String KERNEL =
      "Usage: ntk4j kernel --arch SPEC --x1 FILE [--x2 FILE] --get nngp|ntk|sign-ntk --out FILE\n"
          + "                    [--backend auto|cpu|opencl] [--precision float64|float32] [--threads N]\n"
          + "                    [--tile N] [--progress] [--stream]\n"
          + "\n"
          + "Writes the n1 x n2 matrix K[i][j] = k(x1_i, x2_j); --x2 defaults to --x1.\n"
          + "Files: .npy (NumPy 1.0-3.0, 2-D or 1-D, little-endian float64/float32) or .csv (no header).\n"
          + "The output is written in the format of its extension, float64 unless --precision float32\n"
          + "is given and the extension is .npy; it appears complete or not at all.\n"
          + "  --arch       architecture string (see ntk4j --help)\n"
          + "  --get        nngp (output covariance at initialization), ntk (neural tangent kernel) or\n"
          + "               sign-ntk (batch-size-1 SignSGD kernel: [i][j] = change of the output at x1_i\n"
          + "               per unit sign step on x2_j; not symmetric; needs an MLP ending in dense with\n"
          + "               relu, abrelu, leakyrelu, abs, identity or erf(a, b, 0) activations)\n"
          + "  --backend    auto (default: OpenCL when usable, else CPU), cpu, or opencl\n"
          + "  --precision  float64 (default) or float32 (faster, about 1e-6 relative error per layer)\n"
          + "  --threads    worker threads (default: all processors); results do not depend on it\n"
          + "  --tile       edge of the output tiles threads work on (default 128)\n"
          + "  --progress   show a progress bar on stderr (shown anyway on a terminal for large kernels)\n"
          + "  --stream     write a .npy output tile by tile without holding the kernel in memory (automatic\n"
          + "               when it would not fit in the heap; on the cpu backend, or the device with --backend\n"
          + "               opencl; n = 50,000 needs 20 GB of disk)\n";

  static final String ADAPTIVE =
      "Usage: ntk4j adaptive [--train N] [--test M] [--epochs E] [--samples S] [--seed K]\n"
          + "                      [--threads N] [--plot FILE.svg] [--fashion-mnist DIR]\n"
          + "\n"
          + "Trains the infinite-width limits of one MLP with NTK gradient descent, SignSGD (one point\n"
          + "per step, exact sign kernel; and full batch) and Adam (full batch), the last two by Monte\n"
          + "Carlo over the limiting features (Tensor Programs IVb, arXiv 2308.01814), and prints test\n"
          + "accuracy and mean squared errors. Data: the embedded digits, or Fashion-MNIST IDX files\n"
          + "(train-*-ubyte[.gz], t10k-*-ubyte[.gz]) in DIR; on Debian 'apt-get install\n"
          + "dataset-fashion-mnist' puts them in /usr/share/datasets/fashion-mnist.\n"
          + "  --train, --test  number of training (default 200) and test (default 500) images\n"
          + "  --epochs         passes over the training set (default 30)\n"
          + "  --samples        Monte Carlo feature samples per group (default 128)\n"
          + "  --plot           write the test loss against epochs as an SVG chart\n";

  static final String FEATURE_LEARNING =
      "Usage: ntk4j feature-learning [--train N] [--test M] [--epochs E] [--samples S] [--neurons K]\n"
          + "                              [--seed K]\n"
          + "\n"
          + "Runs the feature-learning limits (muP linear, adaptive Bayesian kernels, adaptive NTK, linear\n"
          + "bottleneck) next to the frozen-feature NNGP/NTK limit of the same network and training on a\n"
          + "binary task of the embedded digits (odd +1, even -1), and prints test accuracy and MSE.\n"
          + "  --train, --test  number of training (default 200) and test (default 300) images\n"
          + "  --epochs         SGD passes for the muP and kernel SGD rows (default 20)\n"
          + "  --samples        importance samples of the nonlinear aNBK (default 20000, at least 100)\n"
          + "  --neurons        sampled neurons of the adaptive NTK dynamics (default 200)\n"
          + "  --seed           seed of the SGD order, samples and initial weights (default 1)\n";

  static final String PREDICT =
      "Usage: ntk4j predict --arch SPEC --train-x FILE --train-y FILE --test-x FILE --out FILE\n"
          + "                     [--get nngp|ntk] [--time T|inf] [--diag-reg R] [--learning-rate ETA]\n"
          + "                     [--cov-out FILE] [--backend auto|cpu|opencl] [--threads N] [--progress]\n"
          + "\n"
          + "Writes the mean predictions (m x k; m test rows, k columns of --train-y) of an infinite ensemble\n"
          + "of infinitely wide networks trained by gradient descent on mean squared error for time T\n"
          + "(--get ntk, the default), or of Bayesian inference with the NNGP (--get nngp; at finite T,\n"
          + "training of the readout layer only). Conventions of neural-tangents: the dynamics depend on\n"
          + "ETA*T/(n*k), n*k the number of entries of --train-y.\n"
          + "  --time           training time in steps, or inf (default) for the converged network\n"
          + "  --diag-reg       R >= 0 (default 0): adds R*trace(K)/n to the diagonal of the training kernel;\n"
          + "                   needed when training inputs repeat (the kernel is then singular)\n"
          + "  --learning-rate  ETA > 0 (default 1)\n"
          + "  --cov-out        also write the m x m covariance of the ensemble's test outputs\n"
          + "  --backend, --threads   as for ntk4j kernel\n"
          + "  --progress       show a progress bar of the training kernel on stderr (shown anyway on a\n"
          + "                   terminal from 2,000 training points)\n"
          + "Linear algebra is float64: a Cholesky factorization for T = inf; for a finite T an eigendecomposition,\n"
          + "or, from 256 training points on and where it is cheaper, a Chebyshev expansion of the training\n"
          + "dynamics (the Cholesky factorization and one product with the training kernel per degree).\n";

  static final String INFO =
      "Usage: ntk4j info\n\nPrints the library version, the Java version, and every compute backend\n"
          + "with whether it is usable here.\n";

  static final String DEMO =
      "Usage: ntk4j demo [--threads N]\n\n"
          + "Kernel regression on the UCI handwritten digits (1,797 8x8 images, embedded in the jar):\n"
          + "a fixed train/test split, NNGP and NTK of a few architectures, test accuracy and time.\n";

  static final String FASHION =
      "Usage: ntk4j fashion-mnist [--dir DIR] [--train N] [--sizes N1,N2,...] [--validation V] [--test M]\n"
          + "                           [--arch SPEC] [--plot-dir DIR] [--curve-size N] [--no-curve]\n"
          + "                           [--backend auto|cpu|opencl] [--threads N] [--progress]\n"
          + "\n"
          + "Kernel regression (NNGP: Bayesian posterior mean; NTK: gradient descent to convergence) on\n"
          + "Fashion-MNIST. Images are standardized one by one, targets are one-hot - 0.1, training sets are\n"
          + "the first N training images, diagReg is chosen from {1e-4, 1e-3, 1e-2, 1e-1} (relative to the\n"
          + "mean of diag K) by accuracy on the last V training images, and accuracy is reported on the\n"
          + "test images. Writes fashion-mnist-accuracy.svg (test accuracy against N),\n"
          + "fashion-mnist-training.svg (accuracy and loss over training time, NTK gradient flow) and\n"
          + "fashion-mnist-kernel.svg (a heatmap of the NTK on test images sorted by class).\n"
          + "  --dir         folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],\n"
          + "                t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (default\n"
          + "                /usr/share/datasets/fashion-mnist, where Debian's 'apt-get install\n"
          + "                dataset-fashion-mnist' puts them)\n"
          + "  --train       largest training set (default 10000); 20000 needs about 16 GB of heap (-Xmx20g)\n"
          + "  --sizes       training-set sizes to report (default 1000, 2000, 5000 below N, and N)\n"
          + "  --validation  validation images, the last of the training file (default 5000)\n"
          + "  --test        test images (default 10000, all)\n"
          + "  --arch        one architecture instead of the default two (1 and 2 hidden ReLU layers)\n"
          + "  --plot-dir    where the SVG files go (default: the current folder)\n"
          + "  --curve-size  training-set size of the training curve (default min(N, 5000): its eigendecomposition\n"
          + "                takes about 11 s at 5000 and 90 s at 10000 on 2 cores); --no-curve skips it\n"
          + "  --backend, --threads   as for ntk4j kernel (on PoCL, --backend cpu is faster)\n";
}
