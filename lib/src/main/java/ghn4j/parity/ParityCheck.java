package ghn4j.parity;

import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.parity.PredictionCheck.Report;
import ghn4j.parity.PredictionCheck.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The acceptance check of ghn4j against the ppuda reference fixtures (issues "graph" and "GHN").
 * For every net of a {@link ReferenceFixtures} directory:
 *
 * <ol>
 *   <li>parameter count, {@code state_dict} and {@code live_state_dict} of our build against the
 *       fixture;
 *   <li>our graph (primitive view) against ppuda's graph as a labelled DAG, strictly (msa/cse nodes
 *       included: {@code ghn4j.deepnets.AutogradTrace} reproduces ppuda's positional filter); our
 *       node order is topological;
 *   <li>where full predicted tensors are shipped, our executor with those tensors on the fixture
 *       input against the fixture logits;
 *   <li>for every GHN: one forward on (a) ppuda's graph and (b) our graph; each one's predictions
 *       against the digest (and full tensors), node embeddings (for (b) permuted by the
 *       isomorphism), and the logits of our network run with those predictions.
 * </ol>
 *
 * Every check yields a {@link Row}; a check that throws becomes a {@link Status#FAIL} row naming
 * the error, and the run continues. Each net's arrays live in a manager of their own, closed after
 * the net.
 */
public final class ParityCheck {

  /** The fixture README's logits tolerance. */
  public static final Tolerance LOGITS = new Tolerance(1e-3, 1e-3);

  final ReferenceFixtures fixtures;

  /** Seconds spent per phase in the last {@link #run}, for the summary (insertion order). */
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** A check over {@code fixtures}. */
  public ParityCheck(ReferenceFixtures fixtures) {
    this.fixtures = fixtures;
  }

  /**
   * Runs every check, handing each row to {@code sink} as soon as it is known; returns all rows.
   */
  public List<Row> run(Consumer<Row> sink) {
    seconds.clear();
    List<Row> rows = new ArrayList<>();
    Consumer<Row> out =
        r -> {
          rows.add(r);
          sink.accept(r);
        };
    Map<String, Ghn> ghns = new LinkedHashMap<>();
    try {
      for (String name : fixtures.ghns()) {
        Optional<Path> w = fixtures.ghnWeights(name);
        if (w.isEmpty()) {
          out.accept(
              Row.of("ghn " + name, "load", Status.FAIL, "no ghn/" + name + ".safetensors or .pt"));
          continue;
        }
        try {
          ghns.put(name, Ghn.load(w.get()));
        } catch (RuntimeException e) {
          out.accept(Row.of("ghn " + name, "load", Status.FAIL, error(e)));
        }
      }
      SafeTensors.Tensor input = null;
      if (fixtures.inputs().isPresent()) {
        try {
          input = inputTensor(fixtures.inputs().get());
        } catch (RuntimeException e) {
          out.accept(Row.of("inputs", "load", Status.FAIL, error(e)));
        }
      }
      for (String net : fixtures.nets()) {
        new NetParityRun(this, net, ghns, input, out).run();
      }
    } finally {
      ghns.values().forEach(Ghn::close);
    }
    return rows;
  }

  private static SafeTensors.Tensor inputTensor(Path file) {
    SafeTensors.Tensor t = SafeTensors.read(file).get("input");
    if (t == null) {
      throw new IllegalArgumentException(file + ": no tensor 'input'");
    }
    return t;
  }

  /** Seconds spent per phase (GHN forward, network forward, ...) in the last {@link #run}. */
  public Map<String, Double> timings() {
    return java.util.Collections.unmodifiableMap(seconds);
  }

  void time(String phase, long startNanos) {
    seconds.merge(phase, (System.nanoTime() - startNanos) / 1e9, Double::sum);
  }

  static String error(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
  }

  /**
   * The first failure, and the count line PredictionCheck adds when it shortens a tensor's
   * failures.
   */
  static String failureSummary(Report r) {
    String count =
        r.failures().stream()
            .filter(f -> f.endsWith("out of tolerance"))
            .findFirst()
            .orElse(r.failures().size() + " failures");
    return count + ", e.g. " + r.failures().get(0);
  }

  /** Null when every node's inputs precede it, else the first offending node. */
  static String topological(Graph g) {
    for (int i = 0; i < g.size(); i++) {
      for (int s : g.node(i).inputs()) {
        if (s >= i) {
          return "node " + i + " (" + g.node(i).name() + ") takes input from later node " + s;
        }
      }
    }
    return null;
  }
}
