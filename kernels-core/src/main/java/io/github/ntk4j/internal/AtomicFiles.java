package io.github.ntk4j.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Files written to a hidden sibling first and moved into place only when complete. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Creates an empty hidden sibling {@code .NAME.RANDOM.tmp} of {@code target}, with the usual
   * permissions of the user's umask (unlike {@link Files#createTempFile}).
   */
  public static Path temporarySibling(Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
      Path tmp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /** Moves the finished {@code tmp} over {@code target}, atomically where the file system can. */
  public static void commit(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Fails at once, not after the computation, when the file system of {@code tmp} has less than
   * {@code size} bytes free for {@code target}.
   */
  public static void requireSpace(Path tmp, Path target, long size) throws IOException {
    long usable = Files.getFileStore(tmp).getUsableSpace();
    if (usable < size) {
      throw new IOException(String.format("%s: the kernel needs %.1f GB of disk but only %.1f GB is free there",
          target, size / 1e9, usable / 1e9));
    }
  }
}
