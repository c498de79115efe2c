package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.ghn.Ghn3;
import ghn4j.ghn.Ghn3Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The weight-file half of {@link Ghn3ParityCheck}: finds the GHN-3 configs of a fixture directory
 * and checks that every weight file {@code ghn/<g>.*} loads with the config {@code ghn/<g>.json}
 * and bit-identical weights.
 */
final class Ghn3WeightCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Ghn3WeightCheck() {}

  /** The names {@code g} of the GHN-3 configs {@code ghn/<g>.json} under {@code dir}. */
  static List<String> configs(Path dir) {
    Path ghn = dir.resolve("ghn");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(ghn)) {
      return out;
    }
    for (Path p : list(ghn)) {
      String n = p.getFileName().toString();
      if (!n.endsWith(".json")) {
        continue;
      }
      try {
        if (Ghn3Config.isGhn3Json(JSON.readTree(p.toFile()))) {
          out.add(n.substring(0, n.length() - ".json".length()));
        }
      } catch (IOException e) {
        // not a JSON config: not ours
      }
    }
    return out;
  }

  static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(folder + ": cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * Loads every weight file of GHN {@code g}; returns the first that loaded (the others are
   * closed).
   */
  static Ghn3 loadAll(Path dir, String g, Map<String, Double> seconds, Consumer<Row> out) {
    String c = "ghn " + g;
    Ghn3Config expected;
    try {
      expected = Ghn3Config.read(dir.resolve("ghn").resolve(g + ".json"));
    } catch (RuntimeException e) {
      out.accept(Row.of(c, "config", Status.FAIL, ParityCheck.error(e)));
      return null;
    }
    List<Path> files = new ArrayList<>();
    for (Path p : list(dir.resolve("ghn"))) {
      String n = p.getFileName().toString();
      if (n.startsWith(g + ".") && !n.endsWith(".json")) {
        files.add(p);
      }
    }
    files.sort(
        (a, b) ->
            Boolean.compare(
                !a.toString().endsWith(".safetensors"), !b.toString().endsWith(".safetensors")));
    if (files.isEmpty()) {
      out.accept(Row.of(c, "load", Status.FAIL, "no weight file ghn/" + g + ".*"));
      return null;
    }
    Ghn3 first = null;
    String firstName = null;
    for (Path f : files) {
      String check = "load " + f.getFileName();
      long t0 = System.nanoTime();
      Ghn3 ghn;
      try {
        ghn = Ghn3.load(f);
      } catch (RuntimeException e) {
        out.accept(Row.of(c, check, Status.FAIL, ParityCheck.error(e)));
        continue;
      } finally {
        seconds.merge("load", (System.nanoTime() - t0) / 1e9, Double::sum);
      }
      boolean sameConfig = ghn.config().equals(expected);
      if (first == null) {
        out.accept(
            Row.of(
                c,
                check,
                sameConfig ? Status.PASS : Status.FAIL,
                ghn.format()
                    + ", config "
                    + (sameConfig ? "= " : "≠ ")
                    + g
                    + ".json"
                    + (sameConfig ? "" : ": " + ghn.config())
                    + ", "
                    + ghn.parameters().size()
                    + " tensors"));
        first = ghn;
        firstName = f.getFileName().toString();
        continue;
      }
      double maxAbs = 0;
      String problem = sameConfig ? null : "config " + ghn.config() + " ≠ " + g + ".json";
      if (problem == null && !ghn.parameters().keySet().equals(first.parameters().keySet())) {
        problem = "tensor names differ from " + firstName;
      }
      if (problem == null) {
        for (Map.Entry<String, NDArray> e : first.parameters().entrySet()) {
          float[] a = e.getValue().toFloatArray();
          float[] b = ghn.parameters().get(e.getKey()).toFloatArray();
          if (a.length != b.length) {
            problem = e.getKey() + " has " + b.length + " elements, " + firstName + " " + a.length;
            break;
          }
          for (int i = 0; i < a.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
          }
        }
      }
      boolean ok = problem == null && maxAbs == 0;
      out.accept(
          new Row(
              c,
              check,
              maxAbs,
              Double.NaN,
              ok ? Status.PASS : Status.FAIL,
              ghn.format()
                  + (ok
                      ? ", weights identical to " + firstName
                      : problem != null ? ": " + problem : ": weights differ from " + firstName)));
      ghn.close();
    }
    return first;
  }
}
