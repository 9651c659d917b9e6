package io.github.ntk4j;

/**
 * Where a result came from, so that a saved kernel can be traced and reproduced.
 *
 * @param architecture the canonical architecture string
 * @param backend a description of the backend that ran, e.g. {@code cpu (pure Java, 2 threads)}
 * @param precision the precision used
 * @param libraryVersion the ntk4j version
 * @param javaVersion {@code java.version} of the running JVM
 * @param osArch {@code os.arch} of the running JVM
 */
public record Provenance(
    String architecture,
    String backend,
    Precision precision,
    String libraryVersion,
    String javaVersion,
    String osArch) {}
