package ghn4j.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code results.csv} of an evaluation ({@code ./ghn4j eval}, the recipe grid): one row per
 * net, written as the nets finish and read back by notebooks and the recipe study ({@code
 * ghn4j.experiments.RecipeStudy}). Numbers use a '.' decimal point whatever the locale.
 */
public final class EvalResults {

  /** The header line (without the newline). */
  public static final String HEADER = "split,net,params,nodes,accuracy,predict_s,eval_s";

  private EvalResults() {}

  /** One CSV line for {@code r}, with its newline. */
  public static String row(Evaluator.NetResult r) {
    return String.format(
        Locale.ROOT,
        "%s,%s,%d,%d,%.2f,%.4f,%.3f%n",
        r.split(),
        r.net(),
        r.params(),
        r.nodes(),
        r.accuracy(),
        r.predictSeconds(),
        r.evalSeconds());
  }

  /** The whole file for {@code rows}: header and one line each. */
  public static String csv(List<Evaluator.NetResult> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(r -> sb.append(row(r)));
    return sb.toString();
  }

  /**
   * Reads a results CSV back.
   *
   * @throws IllegalArgumentException naming the file when it is missing, has another header or a
   *     malformed row
   */
  public static List<Evaluator.NetResult> read(Path file) {
    List<String> lines;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": missing");
    }
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
      throw new IllegalArgumentException(
          file + ": not an eval results.csv (header " + HEADER + ")");
    }
    List<Evaluator.NetResult> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      try {
        out.add(
            new Evaluator.NetResult(
                f[0],
                f[1],
                Long.parseLong(f[2]),
                Integer.parseInt(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6])));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": bad row '" + line + "'", e);
      }
    }
    return out;
  }

  /**
   * Table-2 cells: {@link Evaluator#summarize} of each split, in the order splits first appear in
   * {@code rows}.
   */
  public static Map<String, Evaluator.Summary> bySplit(List<Evaluator.NetResult> rows) {
    Map<String, List<Evaluator.NetResult>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(r.split(), k -> new ArrayList<>()).add(r));
    Map<String, Evaluator.Summary> out = new LinkedHashMap<>();
    groups.forEach((split, rs) -> out.put(split, Evaluator.summarize(split, rs)));
    return out;
  }
}
