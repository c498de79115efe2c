package ghn4j.properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ppuda's published per-net results ({@code data/results_cifar10.json}, {@code
 * results_imagenet.json}): split ({@code val, test, wide, deep, dense, bnfree, predefined}) → net
 * index → numbers ({@code test_acc, val_acc, val_acc_noise, time, converge_time, params,
 * ghn2_test_acc, ...}; not every split has every key). With the official DeepNets-1M evaluation
 * nets, these are the paper's ground truth for property prediction.
 */
public final class ReferenceResults {

  /** One net's numbers by key. */
  public record Net(int index, Map<String, Double> values) {
    public Net {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  private final Path file;
  private final Map<String, List<Net>> splits;

  private ReferenceResults(Path file, Map<String, List<Net>> splits) {
    this.file = file;
    this.splits = splits;
  }

  /** Reads the file; errors name the file and the entry. */
  public static ReferenceResults read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          file + ": expected a JSON object split -> net index -> results");
    }
    Map<String, List<Net>> splits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      List<Net> nets = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> jt = s.getValue().fields(); jt.hasNext(); ) {
        Map.Entry<String, JsonNode> n = jt.next();
        int index;
        try {
          index = Integer.parseInt(n.getKey());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              file + ": split " + s.getKey() + ": net key '" + n.getKey() + "' is not an index", e);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> kt = n.getValue().fields(); kt.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = kt.next();
          if (kv.getValue().isNumber()) { // the extended file also has per-epoch lists: skipped
            values.put(kv.getKey(), kv.getValue().asDouble());
          }
        }
        nets.add(new Net(index, values));
      }
      nets.sort(Comparator.comparingInt(Net::index));
      splits.put(s.getKey(), List.copyOf(nets));
    }
    return new ReferenceResults(file, Collections.unmodifiableMap(splits));
  }

  /** Split names in file order. */
  public List<String> splits() {
    return List.copyOf(splits.keySet());
  }

  /** The nets of {@code split} by ascending index. */
  public List<Net> nets(String split) {
    List<Net> n = splits.get(split);
    if (n == null) {
      throw new IllegalArgumentException(
          file + ": no split '" + split + "'; has " + splits.keySet());
    }
    return n;
  }

  /**
   * {@code key} of every net of {@code split}, by ascending index; an error names the first net
   * without it.
   */
  public double[] values(String split, String key) {
    List<Net> nets = nets(split);
    double[] out = new double[nets.size()];
    for (int i = 0; i < out.length; i++) {
      Double v = nets.get(i).values().get(key);
      if (v == null) {
        throw new IllegalArgumentException(
            file + ": " + split + "/" + nets.get(i).index() + " has no '" + key + "'");
      }
      out[i] = v;
    }
    return out;
  }

  /** {@link #values} of a {@link Property} (by its ppuda key). */
  public double[] values(String split, Property p) {
    return values(split, p.key());
  }
}
