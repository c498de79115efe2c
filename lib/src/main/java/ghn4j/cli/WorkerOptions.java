package ghn4j.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import picocli.CommandLine.Option;

/**
 * How many threads a command's per-net work runs on (a picocli mixin): {@code --workers N}, default
 * the machine's cores. The process's PyTorch intra-op threads ({@code GHN4J_THREADS}, default the
 * cores) are divided among the workers, so {@code workers × intra-op threads per worker} does not
 * exceed what the process was given: more threads than cores only queue (and PyTorch's OpenMP
 * threads spin while they wait).
 */
final class WorkerOptions {

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "parallel workers over the nets (default: the machine's "
              + "cores; 1 = sequential). Results equal the sequential run's (see README, 'All cores of one machine')")
  Integer workers;

  /** The workers asked for, else the available cores; at least 1. */
  int workers() {
    int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
    if (w < 1) {
      throw new IllegalArgumentException("--workers must be ≥ 1, got " + w);
    }
    return w;
  }

  /**
   * Intra-op threads for each worker: the process's intra-op threads divided among the workers, at
   * least 1.
   */
  int intraOpThreads() {
    // JniUtils is only linked once the PyTorch engine has loaded its native library; in a fresh JVM
    // a command may
    // ask before anything else touched the engine (UnsatisfiedLinkError otherwise).
    Engine.getInstance();
    return Math.max(1, JniUtils.getNumThreads() / workers());
  }
}
