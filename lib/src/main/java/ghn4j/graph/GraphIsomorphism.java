package ghn4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether two graphs are the same labelled DAG, ignoring node order and names: labels are a
 * node's primitive and shape (ppuda's node features), edges the real (distance-1) edges. Used to
 * check that a zoo builder's primitive view equals ppuda's graph of the same model.
 *
 * <p>Two stages. (1) Colour refinement (1-dimensional Weisfeiler–Lehman): every node starts with
 * its label's colour; each round a node's new colour is its old colour plus the sorted colours of
 * its in-neighbours and of its out-neighbours; colours are interned in one table shared by both
 * graphs, so equal colours mean equal signatures (no hashing collisions). Different colour
 * histograms prove non-isomorphism and give a readable difference. (2) Equal histograms do not
 * prove isomorphism, so a backtracking matcher then maps the nodes of {@code a} in their
 * topological order onto same-coloured nodes of {@code b} whose in-neighbour set is exactly the
 * image of the node's in-neighbours; on these graphs the refined colours leave almost no choice, so
 * it runs in about linear time.
 */
public final class GraphIsomorphism {

  private GraphIsomorphism() {}

  /**
   * The outcome of a comparison.
   *
   * @param isomorphic whether the graphs are isomorphic
   * @param mapping for each node of {@code a}, its image in {@code b} (empty when not isomorphic)
   * @param message a readable explanation of the first difference found, or "isomorphic"
   */
  public record Result(boolean isomorphic, int[] mapping, String message) {
    public Result {
      mapping = mapping.clone();
    }

    @Override
    public int[] mapping() {
      return mapping.clone();
    }
  }

  /** A node's label: primitive name and shape, e.g. {@code conv[64, 64, 3, 3]}. */
  public static String label(Node n) {
    String p =
        n.primitive() == null
            ? "(" + (n.op() == null ? "?" : n.op().kind()) + ")"
            : n.primitive().refName();
    return p + (n.shape() == null ? "" : Arrays.toString(n.shape()));
  }

  /** Compares {@code a} and {@code b} as labelled DAGs. */
  public static Result compare(Graph a, Graph b) {
    if (a.size() != b.size()) {
      return fail("node counts differ: " + a.size() + " vs " + b.size() + "; " + labelDiff(a, b));
    }
    int ea = a.edges().size();
    int eb = b.edges().size();
    if (ea != eb) {
      return fail("edge counts differ: " + ea + " vs " + eb + "; " + labelDiff(a, b));
    }
    Adjacency ga = new Adjacency(a);
    Adjacency gb = new Adjacency(b);
    Map<List<Integer>, Integer> table = new HashMap<>();
    int[] ca = new int[a.size()];
    int[] cb = new int[b.size()];
    Map<String, Integer> labels = new HashMap<>();
    for (int i = 0; i < a.size(); i++) {
      ca[i] = labels.computeIfAbsent(label(a.node(i)), k -> labels.size());
      cb[i] = labels.computeIfAbsent(label(b.node(i)), k -> labels.size());
    }
    String diff = histogramDiff(a, b, ca, cb, 0);
    if (diff != null) {
      return fail(diff);
    }
    int classes = distinct(ca);
    for (int round = 1; round <= a.size(); round++) {
      int[] na = refine(ga, ca, table);
      int[] nb = refine(gb, cb, table);
      diff = histogramDiff(a, b, na, nb, round);
      if (diff != null) {
        return fail(
            diff
                + " (after "
                + round
                + " rounds of neighbourhood refinement: the nodes' surroundings differ)");
      }
      ca = na;
      cb = nb;
      int c = distinct(ca);
      if (c == classes) {
        break;
      }
      classes = c;
    }
    int[] mapping = new Matcher(ga, gb, ca, cb).run();
    if (mapping == null) {
      return fail("same labels and neighbourhood colours, but no edge-preserving mapping exists");
    }
    return new Result(true, mapping, "isomorphic");
  }

  private static Result fail(String message) {
    return new Result(false, new int[0], message);
  }

  /** In- and out-neighbour sets (duplicates removed) of a graph. */
  private static final class Adjacency {
    final int[][] in;
    final int[][] out;

    Adjacency(Graph g) {
      int n = g.size();
      in = new int[n][];
      for (int i = 0; i < n; i++) {
        in[i] = Arrays.stream(g.node(i).inputs()).distinct().sorted().toArray();
      }
      out = g.successors();
    }
  }

  private static int[] refine(Adjacency g, int[] colour, Map<List<Integer>, Integer> table) {
    int n = colour.length;
    int[] next = new int[n];
    for (int v = 0; v < n; v++) {
      List<Integer> sig = new ArrayList<>(2 + g.in[v].length + g.out[v].length);
      sig.add(colour[v]);
      int[] ins = new int[g.in[v].length];
      for (int k = 0; k < ins.length; k++) {
        ins[k] = colour[g.in[v][k]];
      }
      Arrays.sort(ins);
      for (int c : ins) {
        sig.add(c);
      }
      sig.add(-1); // separator between in- and out-colours
      int[] outs = new int[g.out[v].length];
      for (int k = 0; k < outs.length; k++) {
        outs[k] = colour[g.out[v][k]];
      }
      Arrays.sort(outs);
      for (int c : outs) {
        sig.add(c);
      }
      next[v] = table.computeIfAbsent(sig, k -> table.size());
    }
    return next;
  }

  private static int distinct(int[] colours) {
    return (int) Arrays.stream(colours).distinct().count();
  }

  /**
   * Null if the colour histograms are equal, else the first differing colour described by an
   * example node.
   */
  private static String histogramDiff(Graph a, Graph b, int[] ca, int[] cb, int round) {
    TreeMap<Integer, int[]> counts = new TreeMap<>();
    for (int c : ca) {
      counts.computeIfAbsent(c, k -> new int[2])[0]++;
    }
    for (int c : cb) {
      counts.computeIfAbsent(c, k -> new int[2])[1]++;
    }
    for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
      int[] n = e.getValue();
      if (n[0] != n[1]) {
        boolean inA = n[0] > n[1];
        Graph g = inA ? a : b;
        int[] cs = inA ? ca : cb;
        int example = -1;
        for (int i = 0; i < cs.length; i++) {
          if (cs[i] == e.getKey()) {
            example = i;
            break;
          }
        }
        if (round == 0) {
          return "label "
              + label(g.node(example))
              + " occurs "
              + n[0]
              + " times in the first graph, "
              + n[1]
              + " in the second";
        }
        return "a node like "
            + describe(g, example)
            + " occurs "
            + n[0]
            + " times in the first graph, "
            + n[1]
            + " in the second";
      }
    }
    return null;
  }

  private static String describe(Graph g, int i) {
    Node n = g.node(i);
    List<String> ins = new ArrayList<>();
    for (int s : n.inputs()) {
      ins.add(label(g.node(s)));
    }
    List<String> outs = new ArrayList<>();
    for (int s : g.successors()[i]) {
      outs.add(label(g.node(s)));
    }
    return (i + " " + n.name() + " " + label(n) + " with inputs " + ins + " and outputs " + outs);
  }

  /** Which labels' counts differ, for messages about size mismatches. */
  private static String labelDiff(Graph a, Graph b) {
    TreeMap<String, int[]> counts = new TreeMap<>();
    for (Node n : a.nodes()) {
      counts.computeIfAbsent(label(n), k -> new int[2])[0]++;
    }
    for (Node n : b.nodes()) {
      counts.computeIfAbsent(label(n), k -> new int[2])[1]++;
    }
    List<String> diffs = new ArrayList<>();
    counts.forEach(
        (l, c) -> {
          if (c[0] != c[1] && diffs.size() < 5) {
            diffs.add(l + ": " + c[0] + " vs " + c[1]);
          }
        });
    return diffs.isEmpty()
        ? "label counts agree"
        : "label counts differ: " + String.join(", ", diffs);
  }

  /** Backtracking over a's nodes in topological order; each node's inputs are mapped before it. */
  private static final class Matcher {
    private final Adjacency a;
    private final Adjacency b;
    private final int[] ca;
    private final int[] cb;
    private final int[] map;
    private final int[] inverse;
    private final Map<Integer, List<Integer>> byColour = new HashMap<>();

    Matcher(Adjacency a, Adjacency b, int[] ca, int[] cb) {
      this.a = a;
      this.b = b;
      this.ca = ca;
      this.cb = cb;
      map = new int[ca.length];
      inverse = new int[cb.length];
      Arrays.fill(map, -1);
      Arrays.fill(inverse, -1);
      for (int w = 0; w < cb.length; w++) {
        byColour.computeIfAbsent(cb[w], k -> new ArrayList<>()).add(w);
      }
    }

    int[] run() {
      // Explicit stack instead of recursion: graphs may have thousands of nodes.
      int n = ca.length;
      int[] choice = new int[n];
      Arrays.fill(choice, -1);
      int v = 0;
      while (v >= 0 && v < n) {
        List<Integer> cands = candidates(v);
        int next = -1;
        for (int k = choice[v] + 1; k < cands.size(); k++) {
          if (fits(v, cands.get(k))) {
            next = k;
            break;
          }
        }
        if (next < 0) {
          choice[v] = -1;
          v--;
          if (v >= 0) {
            inverse[map[v]] = -1;
            map[v] = -1;
          }
          continue;
        }
        choice[v] = next;
        map[v] = cands.get(next);
        inverse[map[v]] = v;
        v++;
      }
      return v < 0 ? null : map.clone();
    }

    /**
     * Same-coloured nodes of b; for a node with inputs, only successors of its first input's image.
     */
    private List<Integer> candidates(int v) {
      if (a.in[v].length == 0) {
        return byColour.getOrDefault(ca[v], List.of());
      }
      List<Integer> out = new ArrayList<>();
      for (int w : b.out[map[a.in[v][0]]]) {
        if (cb[w] == ca[v]) {
          out.add(w);
        }
      }
      return out;
    }

    private boolean fits(int v, int w) {
      if (inverse[w] >= 0 || b.in[w].length != a.in[v].length) {
        return false;
      }
      for (int u : a.in[v]) {
        if (Arrays.binarySearch(b.in[w], map[u]) < 0) {
          return false;
        }
      }
      return true;
    }
  }
}
