package ghn4j.deepnets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures how many nets per second {@link NetworkBuilder} handles, single-threaded: {@code countParams} (the
 * generator's max-params rule) and full graph construction ({@code build} plus the primitive view), over the nets of
 * ppuda's generator meta files. Usage: {@code BuilderBench [fixtures dir] [rounds]}; the directory defaults to the
 * first of {@link ghn4j.io.Layout#fixtureCandidates()}.
 */
public final class BuilderBench {

  private BuilderBench() {}

  public static void main(String[] args) throws Exception {
    String dirArg = args.length > 0 ? args[0]
        : ghn4j.io.Layout.detect().fixtureCandidates().get(0).toString();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Path.of(dirArg).resolve("deepnets");
    List<NetArgs> nets = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith("_meta.json")).sorted().toList()) {
        nets.addAll(NetSpecs.readMeta(f, 32, 10, false));
      }
    }
    if (nets.isEmpty()) {
      throw new IllegalArgumentException("no *_meta.json nets under " + dir);
    }
    System.out.printf("%d nets from %s, %d timed rounds after 1 warm-up round%n", nets.size(), dir, rounds);
    long sink = 0;
    for (int r = 0; r <= rounds; r++) {
      long t0 = System.nanoTime();
      for (NetArgs a : nets) {
        sink += NetworkBuilder.countParams(a);
      }
      long t1 = System.nanoTime();
      for (NetArgs a : nets) {
        sink += NetworkBuilder.build(a).graph().primitiveView().size();
      }
      long t2 = System.nanoTime();
      if (r > 0) {
        System.out.printf("round %d: countParams %.0f nets/s, build graph + primitive view %.0f nets/s%n", r,
            nets.size() / ((t1 - t0) / 1e9), nets.size() / ((t2 - t1) / 1e9));
      }
    }
    System.out.println("(checksum " + sink + ")");
  }
}
