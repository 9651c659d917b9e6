/** A user's module that computes neural tangent kernels with ntk4j. */
module org.example.embedding {
  requires io.github.ntk4j.core;

  exports org.example.embedding;
}
