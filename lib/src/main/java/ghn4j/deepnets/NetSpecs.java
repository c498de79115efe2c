package ghn4j.deepnets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads DeepNets-1M network specifications into {@link NetArgs}: the reference fixtures' net files
 * ({@code kind: "deepnets1m"}: {@code C}, {@code num_classes}, {@code fc_dim} and {@code net_args},
 * the keyword arguments of ppuda's {@code Network}) and the entries of ppuda's generator meta files
 * ({@code {split: {nets: [net_args...]}}}, which store no {@code C}).
 *
 * <p>In a fixture's {@code net_args} an absent keyword takes ppuda's {@code Network} default (e.g.
 * {@code norm} {@code "bn-track"}, {@code ks} 3, {@code C_mult} 2, {@code fc_layers} 0); an
 * explicit {@code null} norm means no normalisation. A meta entry must have every field the
 * generator writes. A missing or mistyped field, or an unknown op in a genotype, is an error that
 * names it.
 */
public final class NetSpecs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NetSpecs() {}

  /** Reads a fixture net file of kind {@code deepnets1m}; errors name the file. */
  public static NetArgs readNet(Path file) {
    JsonNode root = readTree(file);
    try {
      return fromNetJson(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a fixture net: {@code C}, {@code num_classes}, optional {@code fc_dim}, and {@code
   * net_args}.
   */
  public static NetArgs fromNetJson(JsonNode root) {
    String kind = text(root, "kind", "");
    if (!kind.equals("deepnets1m")) {
      throw new IllegalArgumentException(
          "field kind: expected \"deepnets1m\", got \"" + kind + "\"");
    }
    int c = requiredInt(root, "C", "");
    int numClasses = requiredInt(root, "num_classes", "");
    JsonNode args = required(root, "net_args", "");
    if (!args.isObject()) {
      throw new IllegalArgumentException(
          "field net_args: expected an object, got " + args.getNodeType());
    }
    int fcDim = optionalInt(args, "fc_dim", "net_args.", optionalInt(root, "fc_dim", "", 0));
    return new NetArgs(
        c,
        numClasses,
        genotype(required(args, "genotype", "net_args."), "net_args.genotype"),
        requiredInt(args, "n_cells", "net_args."),
        optionalInt(args, "ks", "net_args.", 3),
        optionalBool(args, "is_imagenet_input", "net_args.", false),
        optionalBool(args, "stem_pool", "net_args.", false),
        optionalInt(args, "stem_type", "net_args.", 0),
        optionalNullableBool(args, "is_vit", "net_args."),
        args.has("norm") ? nullableText(args, "norm", "net_args.") : "bn-track",
        optionalBool(args, "preproc", "net_args.", true),
        optionalInt(args, "C_mult", "net_args.", 2),
        optionalInt(args, "fc_layers", "net_args.", 0),
        fcDim,
        optionalBool(args, "glob_avg", "net_args.", true));
  }

  /**
   * Reads all nets of a generator meta file ({@code {split: {nets: [...]}}}, a single split). The
   * file stores no width or class count: ppuda's generator used {@code C = 32} and 10 classes for
   * its counts.
   */
  public static List<NetArgs> readMeta(Path file, int c, int numClasses, boolean imagenetInput) {
    JsonNode nets = metaNets(file);
    List<NetArgs> result = new ArrayList<>(nets.size());
    for (int i = 0; i < nets.size(); i++) {
      try {
        result.add(fromMetaEntry(nets.get(i), c, numClasses, imagenetInput));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": nets[" + i + "]: " + e.getMessage(), e);
      }
    }
    return result;
  }

  /** The {@code nets} array of a generator meta file, for callers that need its other fields. */
  public static JsonNode metaNets(Path file) {
    JsonNode root = readTree(file);
    if (!root.isObject() || root.size() != 1) {
      throw new IllegalArgumentException(
          file + ": expected an object with one split, e.g. {\"val\": {\"nets\": [...]}}");
    }
    Map.Entry<String, JsonNode> split = root.fields().next();
    JsonNode nets = split.getValue().get("nets");
    if (nets == null || !nets.isArray()) {
      throw new IllegalArgumentException(
          file + ": field " + split.getKey() + ".nets: missing or not an array");
    }
    return nets;
  }

  /** Parses one generator meta entry; every field the generator writes is required. */
  public static NetArgs fromMetaEntry(JsonNode e, int c, int numClasses, boolean imagenetInput) {
    if (!e.has("norm")) {
      throw new IllegalArgumentException("field norm: missing");
    }
    return new NetArgs(
        c,
        numClasses,
        genotype(required(e, "genotype", ""), "genotype"),
        requiredInt(e, "n_cells", ""),
        requiredInt(e, "ks", ""),
        imagenetInput,
        requiredBool(e, "stem_pool", ""),
        requiredInt(e, "stem_type", ""),
        null,
        nullableText(e, "norm", ""),
        requiredBool(e, "preproc", ""),
        requiredInt(e, "C_mult", ""),
        requiredInt(e, "fc_layers", ""),
        requiredInt(e, "fc_dim", ""),
        requiredBool(e, "glob_avg", ""));
  }

  /**
   * Parses a genotype {@code {normal: [[op, input]...], normal_concat: [...], reduce: ...,
   * reduce_concat: ...}}; every op name is checked.
   */
  public static Genotype genotype(JsonNode g, String where) {
    if (!g.isObject()) {
      throw new IllegalArgumentException(
          "field " + where + ": expected an object, got " + g.getNodeType());
    }
    return new Genotype(
        edges(required(g, "normal", where + "."), where + ".normal"),
        ints(required(g, "normal_concat", where + "."), where + ".normal_concat"),
        edges(required(g, "reduce", where + "."), where + ".reduce"),
        ints(required(g, "reduce_concat", where + "."), where + ".reduce_concat"));
  }

  private static List<Genotype.Edge> edges(JsonNode arr, String where) {
    if (!arr.isArray()) {
      throw new IllegalArgumentException(
          "field " + where + ": expected an array of [op, input], got " + arr.getNodeType());
    }
    List<Genotype.Edge> edges = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode pair = arr.get(i);
      String at = where + "[" + i + "]";
      if (!pair.isArray()
          || pair.size() != 2
          || !pair.get(0).isTextual()
          || !pair.get(1).canConvertToInt()
          || !pair.get(1).isIntegralNumber()) {
        throw new IllegalArgumentException(
            "field " + at + ": expected [op name, input index], got " + pair);
      }
      String op = pair.get(0).asText();
      try {
        CellOp.parse(op);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("field " + at + ": " + e.getMessage(), e);
      }
      edges.add(new Genotype.Edge(op, pair.get(1).asInt()));
    }
    return edges;
  }

  private static List<Integer> ints(JsonNode arr, String where) {
    if (!arr.isArray()) {
      throw new IllegalArgumentException(
          "field " + where + ": expected an array of integers, got " + arr.getNodeType());
    }
    List<Integer> out = new ArrayList<>();
    for (Iterator<JsonNode> it = arr.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException("field " + where + ": expected integers, got " + v);
      }
      out.add(v.asInt());
    }
    return out;
  }

  private static JsonNode readTree(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not readable JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode obj, String field, String prefix) {
    JsonNode v = obj.get(field);
    if (v == null) {
      throw new IllegalArgumentException("field " + prefix + field + ": missing");
    }
    return v;
  }

  private static int requiredInt(JsonNode obj, String field, String prefix) {
    return asInt(required(obj, field, prefix), prefix + field);
  }

  private static int optionalInt(JsonNode obj, String field, String prefix, int dflt) {
    JsonNode v = obj.get(field);
    return v == null || v.isNull() ? dflt : asInt(v, prefix + field);
  }

  private static int asInt(JsonNode v, String field) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("field " + field + ": expected an integer, got " + v);
    }
    return v.asInt();
  }

  private static boolean requiredBool(JsonNode obj, String field, String prefix) {
    return asBool(required(obj, field, prefix), prefix + field);
  }

  private static boolean optionalBool(JsonNode obj, String field, String prefix, boolean dflt) {
    JsonNode v = obj.get(field);
    return v == null || v.isNull() ? dflt : asBool(v, prefix + field);
  }

  private static Boolean optionalNullableBool(JsonNode obj, String field, String prefix) {
    JsonNode v = obj.get(field);
    return v == null || v.isNull() ? null : asBool(v, prefix + field);
  }

  private static boolean asBool(JsonNode v, String field) {
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("field " + field + ": expected true or false, got " + v);
    }
    return v.asBoolean();
  }

  private static String nullableText(JsonNode obj, String field, String prefix) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          "field " + prefix + field + ": expected a string or null, got " + v);
    }
    return v.asText();
  }

  private static String text(JsonNode obj, String field, String prefix) {
    JsonNode v = required(obj, field, prefix);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          "field " + prefix + field + ": expected a string, got " + v);
    }
    return v.asText();
  }
}
