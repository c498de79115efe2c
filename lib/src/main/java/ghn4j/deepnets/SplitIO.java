package ghn4j.deepnets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * JSON of {@link NetArgs} and of one line of a ghn4j split file, with ppuda's key names ({@code C},
 * {@code n_cells}, {@code C_mult}, {@code genotype: {normal: [[op, input], ...], normal_concat,
 * reduce, reduce_concat}}, ...), so a net reads the same way from our split files, ppuda's meta
 * JSON and the reference fixtures.
 *
 * <p>A split-file line: {@code {"index": i, "net_args": {...}, "num_params": {"cifar10": n,
 * "imagenet": m}, "num_nodes": k}} ({@code num_nodes} only when a graph builder was available).
 */
public final class SplitIO {

  private final ObjectMapper mapper = new ObjectMapper();

  /** NetArgs as a JSON object with ppuda's keyword names. */
  public ObjectNode toJson(NetArgs a) {
    ObjectNode o = mapper.createObjectNode();
    o.put("C", a.C());
    o.put("num_classes", a.numClasses());
    o.set("genotype", genotypeJson(a.genotype()));
    o.put("n_cells", a.nCells());
    o.put("ks", a.ks());
    o.put("is_imagenet_input", a.imagenetInput());
    o.put("stem_pool", a.stemPool());
    o.put("stem_type", a.stemType());
    if (a.isVit() == null) {
      o.putNull("is_vit");
    } else {
      o.put("is_vit", a.isVit());
    }
    if (a.norm() == null) {
      o.putNull("norm");
    } else {
      o.put("norm", a.norm());
    }
    o.put("preproc", a.preproc());
    o.put("C_mult", a.cMult());
    o.put("fc_layers", a.fcLayers());
    o.put("fc_dim", a.fcDim());
    o.put("glob_avg", a.globAvg());
    return o;
  }

  /**
   * NetArgs from a JSON object with ppuda's keys. Missing keys take the given defaults for {@code
   * C}, {@code fc_dim} (ppuda's generator stores no C) and ppuda's {@code Network} defaults
   * otherwise, except the input: CIFAR-10 unless {@code is_imagenet_input} says otherwise.
   *
   * @param where names the file and entry in error messages
   */
  public NetArgs fromJson(JsonNode o, int defaultC, int defaultFcDim, String where) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException(where + ": expected a JSON object of net args");
    }
    JsonNode g = o.get("genotype");
    if (g == null || !g.isObject()) {
      throw new IllegalArgumentException(where + ": missing 'genotype' object");
    }
    Genotype genotype =
        new Genotype(
            edges(g, "normal", where),
            ints(g, "normal_concat", where),
            edges(g, "reduce", where),
            ints(g, "reduce_concat", where));
    JsonNode vit = o.get("is_vit");
    JsonNode norm = o.get("norm");
    return new NetArgs(
        intOr(o, "C", defaultC, where),
        intOr(o, "num_classes", 10, where),
        genotype,
        required(o, "n_cells", where).asInt(),
        intOr(o, "ks", 3, where),
        o.path("is_imagenet_input").asBoolean(false),
        o.path("stem_pool").asBoolean(false),
        intOr(o, "stem_type", 0, where),
        vit == null || vit.isNull() ? null : vit.asBoolean(),
        norm == null ? "bn-track" : norm.isNull() ? null : norm.asText(),
        o.path("preproc").asBoolean(true),
        intOr(o, "C_mult", 2, where),
        intOr(o, "fc_layers", 0, where),
        intOr(o, "fc_dim", defaultFcDim, where),
        o.path("glob_avg").asBoolean(true));
  }

  /** One split-file line (without the newline). */
  public String toLine(SampledNet net) {
    ObjectNode o = mapper.createObjectNode();
    o.put("index", net.index());
    o.set("net_args", toJson(net.args()));
    ObjectNode p = o.putObject("num_params");
    p.put("cifar10", net.numParams());
    p.put("imagenet", net.numParamsImagenet());
    net.numNodes().ifPresent(n -> o.put("num_nodes", n));
    try {
      return mapper.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One split-file line back. */
  public SampledNet fromLine(String line, String where) {
    JsonNode o;
    try {
      o = mapper.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
    }
    NetArgs args =
        fromJson(required(o, "net_args", where), NetSampler.BASE_C, NetSampler.BASE_FC_DIM, where);
    JsonNode p = required(o, "num_params", where);
    JsonNode nodes = o.get("num_nodes");
    return new SampledNet(
        required(o, "index", where).asInt(),
        args,
        required(p, "cifar10", where).asLong(),
        p.path("imagenet").asLong(0),
        nodes == null ? OptionalInt.empty() : OptionalInt.of(nodes.asInt()));
  }

  ObjectMapper mapper() {
    return mapper;
  }

  private ObjectNode genotypeJson(Genotype g) {
    ObjectNode o = mapper.createObjectNode();
    o.set("normal", edgesJson(g.normal()));
    o.set("normal_concat", intsJson(g.normalConcat()));
    o.set("reduce", edgesJson(g.reduce()));
    o.set("reduce_concat", intsJson(g.reduceConcat()));
    return o;
  }

  private ArrayNode edgesJson(List<Genotype.Edge> edges) {
    ArrayNode a = mapper.createArrayNode();
    for (Genotype.Edge e : edges) {
      a.addArray().add(e.op()).add(e.input());
    }
    return a;
  }

  private ArrayNode intsJson(List<Integer> xs) {
    ArrayNode a = mapper.createArrayNode();
    xs.forEach(a::add);
    return a;
  }

  private static List<Genotype.Edge> edges(JsonNode g, String key, String where) {
    JsonNode a = required(g, key, where);
    List<Genotype.Edge> out = new ArrayList<>();
    for (JsonNode e : a) {
      if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).canConvertToInt()) {
        throw new IllegalArgumentException(
            where + ": genotype." + key + " entry " + e + " is not [op, input]");
      }
      out.add(new Genotype.Edge(e.get(0).asText(), e.get(1).asInt()));
    }
    return out;
  }

  private static List<Integer> ints(JsonNode g, String key, String where) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : required(g, key, where)) {
      out.add(e.asInt());
    }
    return out;
  }

  private static JsonNode required(JsonNode o, String key, String where) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + ": missing '" + key + "'");
    }
    return v;
  }

  private static int intOr(JsonNode o, String key, int dflt, String where) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt()) {
      throw new IllegalArgumentException(where + ": '" + key + "' is not an integer: " + v);
    }
    return v.asInt();
  }
}
