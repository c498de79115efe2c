package ghn4j.data;

import java.nio.file.Path;

/**
 * Times {@link Cifar10#load} on a prepared cache (not a test: run by hand, e.g. {@code java -cp
 * lib/target/ghn4j.jar:lib/target/test-classes ghn4j.data.CacheLoadBenchmark data}).
 */
public final class CacheLoadBenchmark {

  private CacheLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = args.length > 0 ? Path.of(args[0]) : Cifar10.defaultDataDir();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      Cifar10 c = Cifar10.load(dataDir);
      long t1 = System.nanoTime();
      System.out.printf(
          "run %d: Cifar10.load %.3f s (%d train + %d test)%n",
          r + 1, (t1 - t0) / 1e9, c.train().size(), c.test().size());
    }
  }
}
