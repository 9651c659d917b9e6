package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The direct route to netlib's JNI instances: the same instances as netlib's public entry points
 * where the native libraries load (CI installs OpenBLAS), and the public entry point as the
 * fallback when the JNI class cannot be reached.
 */
class NativeLibrariesTest {
  @Test
  void theDirectRouteGivesNetlibsOwnNativeInstances() {
    assumeTrue(NativeBlas.available(), "no native BLAS on this machine");
    BLAS direct = NativeLibraries.direct("dev.ludovic.netlib.blas.JNIBLAS", BLAS.class);
    assertSame(NativeBLAS.getInstance(), direct, "JNIBLAS.getInstance() is the singleton NativeBLAS hands out");
    assumeTrue(NativeLapack.available(), "no native LAPACK on this machine");
    LAPACK lapack = NativeLibraries.direct("dev.ludovic.netlib.lapack.JNILAPACK", LAPACK.class);
    assertSame(NativeLAPACK.getInstance(), lapack);
  }

  @Test
  void anUnreachableJniClassFallsBackToThePublicEntryPoint() {
    assertNull(NativeLibraries.direct("dev.ludovic.netlib.blas.NoSuchClass", BLAS.class), "no such class");
    assertNull(NativeLibraries.direct("java.lang.Object", BLAS.class), "no getInstance()");
    // A getInstance() whose result is not the wanted type.
    assertNull(NativeLibraries.direct(NativeLibrariesTest.Other.class.getName(), BLAS.class), "wrong type");
    AtomicInteger fallbacks = new AtomicInteger();
    String fromFallback =
        NativeLibraries.load("test", "ntk4j.test.disabled", "test.jul", "no.such.Class", String.class, () -> {
          fallbacks.incrementAndGet();
          return "fallback";
        });
    assertEquals("fallback", fromFallback);
    assertEquals(1, fallbacks.get());
  }

  @Test
  void aLibraryThatFailsToLoadIsReportedAsMissing() {
    // What netlib throws when the native library is absent reaches load(), which answers null.
    assertThrows(IllegalStateException.class,
        () -> NativeLibraries.direct(NativeLibrariesTest.Failing.class.getName(), String.class));
    assertNull(NativeLibraries.load("test", "ntk4j.test.disabled", "test.jul", NativeLibrariesTest.Failing.class.getName(),
        String.class, () -> "never"));
  }

  @Test
  void theDisablingPropertyLoadsNothing() {
    System.setProperty("ntk4j.test.off", "true");
    try {
      assertNull(NativeLibraries.load("test", "ntk4j.test.off", "test.jul", "no.such.Class", String.class, () -> "x"));
    } finally {
      System.clearProperty("ntk4j.test.off");
    }
  }

  /** A class whose getInstance() returns another type. */
  static final class Other {
    static Object getInstance() {
      return new Object();
    }
  }

  /** A class whose getInstance() fails as a missing native library does. */
  static final class Failing {
    static String getInstance() {
      throw new IllegalStateException("Unable to load native implementation");
    }
  }
}
