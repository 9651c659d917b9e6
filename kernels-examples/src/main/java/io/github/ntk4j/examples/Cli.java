package io.github.ntk4j.examples;

import io.github.ntk4j.BackendUnavailableException;
import io.github.ntk4j.NumericalException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code ntk4j} command line (shared/specs/cli.md). Exit status 0 on success, 2 for bad input
 * (one line on stderr naming the problem), 1 for any other failure.
 */
public final class Cli {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  private Cli() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.exit(status);
  }

  /** Runs the command line without exiting; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    if (verbose) {
      // slf4j-simple reads this when the first logger is made: timings of each computation on stderr.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    } else if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // Errors are one line on stderr: the library's INFO lines (which backend ran) only with --verbose.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // A loop rather than a stream: the first lambda of a process costs a few milliseconds of start-up.
    List<String> kept = new ArrayList<>(args.length);
    for (String a : args) {
      if (!a.equals("--verbose")) {
        kept.add(a);
      }
    }
    String[] rest = kept.toArray(new String[0]);
    try {
      if (rest.length == 0) {
        err.println("ntk4j: no command given");
        err.print(Help.MAIN);
        return BAD_INPUT;
      }
      String command = rest[0].toLowerCase(Locale.ROOT);
      String[] tail = Arrays.copyOfRange(rest, 1, rest.length);
      boolean help = Arrays.asList(tail).contains("--help") || Arrays.asList(tail).contains("-h");
      switch (command) {
        case "--help":
        case "-h":
        case "help":
          out.print(Help.MAIN);
          return OK;
        case "--version":
        case "version":
          out.println("ntk4j " + io.github.ntk4j.internal.Versions.library());
          return OK;
        case "info":
          if (help) {
            out.print(Help.INFO);
            return OK;
          }
          Info.run(tail, out);
          return OK;
        case "kernel":
          if (help) {
            out.print(Help.KERNEL);
            return OK;
          }
          KernelCommand.run(tail, out, err);
          return OK;
        case "demo":
          if (help) {
            out.print(Help.DEMO);
            return OK;
          }
          Demo.run(tail, out, err);
          return OK;
        case "fashion-mnist":
          if (help) {
            out.print(Help.FASHION);
            return OK;
          }
          FashionMnist.run(tail, out, err);
          return OK;
        case "adaptive":
          if (help) {
            out.print(Help.ADAPTIVE);
            return OK;
          }
          AdaptiveDemo.run(tail, out, err);
          return OK;
        case "feature-learning":
          if (help) {
            out.print(Help.FEATURE_LEARNING);
            return OK;
          }
          FeatureLearningDemo.run(tail, out, err);
          return OK;
        case "predict":
          if (help) {
            out.print(Help.PREDICT);
            return OK;
          }
          PredictCommand.run(tail, out, err);
          return OK;
        default:
          throw new UsageException(
              "unknown command '" + rest[0] + "' (commands: kernel, predict, info, demo, adaptive, fashion-mnist, feature-learning; see ntk4j --help)");
      }
    } catch (NoSuchFileException e) {
      return fail(err, BAD_INPUT, "file not found: " + e.getFile()
          + (e.getReason() != null ? " (" + e.getReason() + ")" : ""), e, verbose);
    } catch (AccessDeniedException e) {
      return fail(err, BAD_INPUT, "permission denied: " + e.getFile(), e, verbose);
    } catch (IllegalArgumentException | BackendUnavailableException e) {
      return fail(err, BAD_INPUT, e.getMessage(), e, verbose);
    } catch (NumericalException e) {
      return fail(err, FAILURE, e.getMessage(), e, verbose);
    } catch (OutOfMemoryError e) {
      return fail(err, FAILURE, "out of memory: the result does not fit in the Java heap; raise it with"
          + " java -Xmx<size> -jar ntk4j.jar ...", e, verbose);
    } catch (Exception | Error e) {
      return fail(err, FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage(), e, verbose);
    }
  }

  private static int fail(PrintStream err, int status, String message, Throwable t, boolean verbose) {
    String line = String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
    err.println("ntk4j: error: " + line);
    if (verbose) {
      t.printStackTrace(err);
    }
    err.flush();
    return status;
  }
}
