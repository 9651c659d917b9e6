package io.github.ntk4j.opencl;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the OpenCL device that an {@link OpenClContext} runs on.
 *
 * <pre>{@code
 * try (OpenClContext gpu = OpenClContext.open(DeviceSelector.nameContains("A100"))) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface DeviceSelector {
  /**
   * Picks one of {@code devices}.
   *
   * @param devices every device found, in {@link OpenCl#devices()} order (not empty)
   * @return the chosen device, or empty when none suits
   */
  Optional<DeviceInfo> select(List<DeviceInfo> devices);

  /**
   * GPUs first, then accelerators, other devices and CPUs; within a kind, devices with double
   * precision first, then more global memory, then driver order.
   *
   * @return the selector
   */
  static DeviceSelector preferred() {
    Comparator<DeviceInfo> order =
        Comparator.<DeviceInfo>comparingInt(d -> rank(d.type()))
            .thenComparing(d -> !d.fp64())
            .thenComparing(Comparator.comparingLong(DeviceInfo::globalMemoryBytes).reversed())
            .thenComparingInt(DeviceInfo::index);
    return devices -> devices.stream().min(order);
  }

  /**
   * The first device, in {@link #preferred()} order, whose name contains {@code text} (ignoring case).
   *
   * @param text part of the device name
   * @return the selector
   */
  static DeviceSelector nameContains(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.toLowerCase(Locale.ROOT);
    DeviceSelector all = preferred();
    return devices -> all.select(devices.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(t)).toList());
  }

  /**
   * The device at {@code index} of {@link OpenCl#devices()}.
   *
   * @param index the position in {@link OpenCl#devices()}
   * @return the selector
   */
  static DeviceSelector index(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index: expected 0 or more, got " + index);
    }
    return devices -> devices.stream().filter(d -> d.index() == index).findFirst();
  }

  private static int rank(DeviceInfo.DeviceType t) {
    return switch (t) {
      case GPU -> 0;
      case ACCELERATOR -> 1;
      case OTHER -> 2;
      case CPU -> 3;
    };
  }
}
