package ghn4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ghn4j's own JSON format for executable graphs (unlike {@link ReferenceGraphJson}, it keeps each
 * node's op, so a graph read back can be run):
 *
 * <pre>{@code
 * {"format": "ghn4j-graph", "version": 1, "n_cells": 1,
 *  "nodes": [{"name": "conv1.weight", "primitive": "conv", "op": {"kind": "conv", "stride": [1, 1], "padding": [1, 1],
 *             "dilation": [1, 1], "groups": 1}, "shape": [64, 3, 3, 3], "cell": 0,
 *             "params": [{"name": "conv1.weight", "shape": [64, 3, 3, 3], "is_weight": true}], "inputs": [0]}, ...]}
 * }</pre>
 *
 * {@code primitive} and {@code shape} are null for nodes a GHN does not see. Activations are ops
 * whose kind is the function name ({@code relu}, {@code gelu}, ...). Errors name the node index and
 * the field or op kind.
 */
public final class GraphJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GraphJson() {}

  /** Writes {@code graph} to {@code file} (via a temporary file, then renamed). */
  public static void write(Graph graph, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, toJson(graph));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a graph file; errors name the file, the node and the problem. */
  public static Graph read(Path file) throws IOException {
    try {
      return fromJson(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The JSON text of {@code graph}. */
  public static String toJson(Graph graph) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "ghn4j-graph");
    root.put("version", 1);
    root.put("n_cells", graph.nCells());
    ArrayNode nodes = root.putArray("nodes");
    for (int i = 0; i < graph.size(); i++) {
      Node n = graph.node(i);
      if (n.op() == null) {
        throw new IllegalArgumentException(
            "node " + i + " (" + n.name() + ") has no op: not an executable graph");
      }
      ObjectNode jn = nodes.addObject();
      jn.put("name", n.name());
      if (n.primitive() == null) {
        jn.putNull("primitive");
      } else {
        jn.put("primitive", n.primitive().refName());
      }
      jn.set("op", opToJson(n.op()));
      putInts(jn, "shape", n.shape());
      jn.put("cell", n.cell());
      ArrayNode ps = jn.putArray("params");
      for (ParamSpec p : n.params()) {
        ObjectNode jp = ps.addObject();
        jp.put("name", p.name());
        putInts(jp, "shape", p.shape());
        jp.put("is_weight", p.isWeight());
      }
      putInts(jn, "inputs", n.inputs());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses the JSON text of a graph. */
  public static Graph fromJson(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
    String format = root.path("format").asText("");
    if (!format.equals("ghn4j-graph")) {
      throw new IllegalArgumentException(
          "field 'format' is '" + format + "', expected 'ghn4j-graph'");
    }
    JsonNode jsonNodes = require(root, "nodes", "graph");
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < jsonNodes.size(); i++) {
      JsonNode jn = jsonNodes.get(i);
      String where = "node " + i;
      String name = require(jn, "name", where).asText();
      where = where + " (" + name + ")";
      JsonNode prim = require(jn, "primitive", where);
      Primitive primitive = prim.isNull() ? null : Primitive.of(prim.asText());
      Op op = opFromJson(require(jn, "op", where), where);
      int[] shape = ints(require(jn, "shape", where));
      int cell = require(jn, "cell", where).asInt();
      List<ParamSpec> params = new ArrayList<>();
      for (JsonNode p : require(jn, "params", where)) {
        params.add(
            new ParamSpec(
                require(p, "name", where).asText(),
                ints(require(p, "shape", where)),
                require(p, "is_weight", where).asBoolean()));
      }
      nodes.add(
          new Node(name, primitive, op, shape, cell, params, ints(require(jn, "inputs", where))));
    }
    return Graph.of(nodes, root.path("n_cells").asInt(1));
  }

  private static ObjectNode opToJson(Op op) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", op.kind());
    if (op instanceof Ops.Conv c) {
      putInts(o, "stride", c.stride());
      putInts(o, "padding", c.padding());
      putInts(o, "dilation", c.dilation());
      o.put("groups", c.groups());
    } else if (op instanceof Ops.BatchNorm bn) {
      o.put("eps", bn.eps());
      o.put("momentum", bn.momentum());
    } else if (op instanceof Ops.LayerNorm ln) {
      o.put("eps", ln.eps());
    } else if (op instanceof Ops.MaxPool mp) {
      o.put("kernel", mp.kernel()).put("stride", mp.stride()).put("padding", mp.padding());
      if (mp.ceilMode()) {
        o.put("ceil_mode", true);
      }
    } else if (op instanceof Ops.AvgPool ap) {
      o.put("kernel", ap.kernel()).put("stride", ap.stride()).put("padding", ap.padding());
      o.put("count_include_pad", ap.countIncludePad());
    } else if (op instanceof Ops.AdaptiveAvgPool aap) {
      o.put("out_h", aap.outH()).put("out_w", aap.outW());
    } else if (op instanceof Ops.Concat c) {
      o.put("axis", c.axis());
    } else if (op instanceof Ops.Scale s) {
      o.put("factor", s.factor());
    } else if (op instanceof Ops.Subsample s) {
      o.put("stride", s.stride()).put("offset", s.offset());
    } else if (op instanceof Ops.Attention a) {
      o.put("heads", a.heads());
    } else if (op instanceof Ops.Dropout d) {
      o.put("p", d.p());
    } else if (op instanceof Ops.ChannelShuffle cs) {
      o.put("groups", cs.groups());
    } else if (op instanceof Ops.Narrow nw) {
      o.put("axis", nw.axis()).put("start", nw.start()).put("length", nw.length());
    } else if (!(op instanceof Ops.Activation) && fromKind(op.kind(), o, "") == null) {
      throw new IllegalArgumentException(
          "op " + op + " cannot be written: unknown op type " + op.getClass());
    }
    return o;
  }

  private static Op opFromJson(JsonNode o, String where) {
    String kind = require(o, "kind", where + " op").asText();
    Op op = fromKind(kind, o, where + " op '" + kind + "'");
    if (op == null) {
      throw new IllegalArgumentException(where + ": unknown op kind '" + kind + "'");
    }
    return op;
  }

  /** The op of {@code kind} with attributes from {@code o}, or null if the kind is unknown. */
  private static Op fromKind(String kind, JsonNode o, String where) {
    Optional<Ops.Activation.Fn> fn = Ops.Activation.Fn.byName(kind);
    if (fn.isPresent()) {
      return new Ops.Activation(fn.get());
    }
    return switch (kind) {
      case "input" -> new Ops.Input();
      case "conv" ->
          new Ops.Conv(
              ints(require(o, "stride", where)),
              ints(require(o, "padding", where)),
              ints(require(o, "dilation", where)),
              require(o, "groups", where).asInt());
      case "linear" -> new Ops.Linear();
      case "bias" -> new Ops.Bias();
      case "bn" ->
          new Ops.BatchNorm(
              require(o, "eps", where).asDouble(), require(o, "momentum", where).asDouble());
      case "ln" -> new Ops.LayerNorm(require(o, "eps", where).asDouble());
      case "max_pool" ->
          new Ops.MaxPool(
              require(o, "kernel", where).asInt(), require(o, "stride", where).asInt(),
              require(o, "padding", where).asInt(), o.path("ceil_mode").asBoolean(false));
      case "avg_pool" ->
          new Ops.AvgPool(
              require(o, "kernel", where).asInt(), require(o, "stride", where).asInt(),
              require(o, "padding", where).asInt(),
                  require(o, "count_include_pad", where).asBoolean());
      case "glob_avg" -> new Ops.GlobalAvgPool();
      case "adaptive_avg_pool" ->
          new Ops.AdaptiveAvgPool(
              require(o, "out_h", where).asInt(), require(o, "out_w", where).asInt());
      case "sum" -> new Ops.Sum();
      case "concat" -> new Ops.Concat(require(o, "axis", where).asInt());
      case "channel_scale" -> new Ops.ChannelScale();
      case "scale" -> new Ops.Scale(require(o, "factor", where).asDouble());
      case "flatten" -> new Ops.Flatten();
      case "subsample" ->
          new Ops.Subsample(
              require(o, "stride", where).asInt(), require(o, "offset", where).asInt());
      case "pos_enc" -> new Ops.PosEnc();
      case "to_tokens" -> new Ops.ToTokens();
      case "to_image" -> new Ops.ToImage();
      case "attention" -> new Ops.Attention(require(o, "heads", where).asInt());
      case "dropout" -> new Ops.Dropout(require(o, "p", where).asDouble());
      case "channel_shuffle" -> new Ops.ChannelShuffle(require(o, "groups", where).asInt());
      case "narrow" ->
          new Ops.Narrow(
              require(o, "axis", where).asInt(),
              require(o, "start", where).asInt(),
              require(o, "length", where).asInt());
      default -> null;
    };
  }

  private static JsonNode require(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isMissingNode()) {
      throw new IllegalArgumentException(where + ": missing field '" + field + "'");
    }
    return v;
  }

  private static void putInts(ObjectNode o, String field, int[] values) {
    if (values == null) {
      o.putNull(field);
      return;
    }
    ArrayNode a = o.putArray(field);
    for (int v : values) {
      a.add(v);
    }
  }

  /**
   * A JSON array of numbers as ints; null for a missing or null node (shared with {@link
   * ReferenceGraphJson}).
   */
  static int[] ints(JsonNode arr) {
    if (arr == null || arr.isNull()) {
      return null;
    }
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asInt();
    }
    return out;
  }
}
