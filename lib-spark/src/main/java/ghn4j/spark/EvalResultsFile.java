package ghn4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import ghn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumable results of a distributed eval: {@code results.jsonl} and {@code results.csv} in the
 * formats of {@code ./ghn4j eval}, rewritten whole and atomically ({@link AtomicFiles}) by the
 * driver after each finished net, rows in the single-JVM order (split by split, net by net)
 * whatever order the tasks finish in. A killed driver or worker leaves the last complete file; a
 * re-run reads {@code results.jsonl} back (full precision) and skips those nets.
 */
final class EvalResultsFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final List<String> order;
  private final Map<String, Evaluator.NetResult> rows = new LinkedHashMap<>();

  /**
   * @param order the keys ({@link #key}) of every net of the job, in the single-JVM order
   */
  EvalResultsFile(Path dir, List<String> order) throws IOException {
    this.dir = dir;
    this.order = List.copyOf(order);
    Path jl = dir.resolve("results.jsonl");
    if (Files.isRegularFile(jl)) {
      List<String> lines = Files.readAllLines(jl);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        Evaluator.NetResult r;
        try {
          r = JSON.readValue(lines.get(i), Evaluator.NetResult.class);
        } catch (IOException e) {
          throw new IOException(
              jl + " line " + (i + 1) + ": not an eval result (" + e.getMessage() + ")", e);
        }
        if (this.order.contains(key(r.split(), r.net()))) {
          rows.put(key(r.split(), r.net()), r);
        }
      }
    }
  }

  static String key(String split, String net) {
    return split + "\t" + net;
  }

  /** Whether the net's row is already in the file. */
  boolean done(String key) {
    return rows.containsKey(key);
  }

  int size() {
    return rows.size();
  }

  /** Adds a finished net and rewrites both files. */
  synchronized void add(Evaluator.NetResult r) throws IOException {
    rows.put(key(r.split(), r.net()), r);
    List<Evaluator.NetResult> sorted = rows();
    StringBuilder jl = new StringBuilder();
    for (Evaluator.NetResult x : sorted) {
      jl.append(JSON.valueToTree(x).toString()).append('\n');
    }
    AtomicFiles.writeString(dir.resolve("results.jsonl"), jl.toString());
    AtomicFiles.writeString(dir.resolve("results.csv"), EvalResults.csv(sorted));
  }

  /** The rows so far in the single-JVM order. */
  synchronized List<Evaluator.NetResult> rows() {
    List<Evaluator.NetResult> out = new ArrayList<>();
    for (String k : order) {
      Evaluator.NetResult r = rows.get(k);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }
}
