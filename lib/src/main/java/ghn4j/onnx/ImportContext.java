package ghn4j.onnx;

import static ghn4j.onnx.ImportContext.ints;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.ConstValue;
import ghn4j.onnx.ImportValue.InitValue;
import ghn4j.onnx.ImportValue.NodeValue;
import ghn4j.onnx.ImportValue.ShuffleValue;
import ghn4j.onnx.ShapeArithmetic.Constant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one ONNX import and the questions the op mappers ask of it: the graph nodes built so
 * far with their output shapes and parameter bindings, what each ONNX value name stands for ({@link
 * ImportValue}), look-ups that check a node's inputs are what its mapping needs, and the error that
 * names the file, the node and the op.
 */
final class ImportContext {
  final Path file;
  final OnnxMl.GraphProto g;
  final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
  final Map<String, ImportValue> values = new HashMap<>();
  final List<Node> nodes = new ArrayList<>();
  final List<long[]> shapes = new ArrayList<>();
  final List<ParamBinding> bindings = new ArrayList<>();
  private final Set<String> usedParams = new HashSet<>();

  /** The ONNX node being mapped (named in errors), or null outside the node loop. */
  OnnxMl.NodeProto current;

  ImportContext(Path file, OnnxMl.GraphProto g) {
    this.file = file;
    this.g = g;
  }

  int addNode(
      String name,
      Primitive prim,
      Op op,
      int[] shape,
      List<ParamSpec> params,
      long[] outShape,
      int... inputs) {
    nodes.add(new Node(name, prim, op, shape, 0, params, inputs));
    shapes.add(outShape);
    return nodes.size() - 1;
  }

  ParamSpec param(InitValue v, boolean isWeight) {
    usedParam(v.name());
    bindings.add(new ParamBinding(v.name(), v.source(), v.transposed()));
    return new ParamSpec(v.name(), ints(v.dims()), isWeight);
  }

  void usedParam(String name) {
    if (!usedParams.add(name)) {
      throw unsupported(
          "initializer '" + name + "' is used by two layers (shared weights are not supported)");
    }
  }

  String nodeName(OnnxMl.NodeProto n) {
    return n.getName().isEmpty() ? n.getOpType() : n.getName();
  }

  ImportValue value(String name) {
    ImportValue v = values.get(name);
    if (v == null && initializers.containsKey(name)) {
      OnnxMl.TensorProto t = initializers.get(name);
      return isConstantInit(t) ? new ConstValue(initConstant(t)) : initValue(name);
    }
    if (v == null) {
      throw unsupported(
          "its input '"
              + name
              + "' is not produced by any earlier node, initializer or graph input "
              + "(nodes out of order, or a truncated file?)");
    }
    return v;
  }

  InitValue initValue(String name) {
    return new InitValue(name, name, OnnxTensors.dims(initializers.get(name)), false);
  }

  private static boolean isSmall(OnnxMl.TensorProto t) {
    return OnnxTensors.numel(t) <= 64;
  }

  /**
   * Whether an initializer is a constant of the shape arithmetic (small integer tensors, float
   * scalars) rather than a parameter (float tensors of more than one value).
   */
  private static boolean isConstantInit(OnnxMl.TensorProto t) {
    return isSmall(t) && !(t.getDataType() == 1 && OnnxTensors.numel(t) > 1);
  }

  Constant initConstant(OnnxMl.TensorProto t) {
    boolean integer = t.getDataType() != 1 && t.getDataType() != 11;
    return new Constant(
        OnnxTensors.dims(t), OnnxTensors.doubles(t, file.toAbsolutePath().getParent()), integer);
  }

  NodeValue node(String name, boolean padAllowed) {
    ImportValue v = value(name);
    if (!(v instanceof NodeValue nv)) {
      throw unsupported(
          "its input '"
              + name
              + "' is "
              + describe(v)
              + ", expected a feature map computed from the "
              + "network input");
    }
    if (!padAllowed) {
      checkNoPad(nv);
    }
    return nv;
  }

  void checkNoPad(NodeValue v) {
    if (v.pad() != null) {
      throw unsupported(
          "its input is padded by a Pad node; only a convolution or pooling can absorb a Pad");
    }
  }

  private static String describe(ImportValue v) {
    if (v instanceof InitValue i) {
      return "the initializer " + i.name();
    } else if (v instanceof ConstValue) {
      return "a constant";
    } else if (v instanceof ShuffleValue) {
      return "the 5-D view of a channel shuffle";
    }
    return "a feature map";
  }

  InitValue init(OnnxMl.NodeProto n, int k, String what) {
    String name = n.getInputCount() > k ? n.getInput(k) : "";
    ImportValue v =
        name.isEmpty()
            ? null
            : values.containsKey(name)
                ? values.get(name)
                : initializers.containsKey(name) ? initValue(name) : null;
    if (!(v instanceof InitValue iv)) {
      throw unsupported(
          "its "
              + what
              + " (input "
              + k
              + ", '"
              + name
              + "') is not an initializer; ghn4j needs the "
              + "layer's parameters stored in the file under their names");
    }
    if (initializers.get(iv.source()).getDataType() != 1) {
      throw unsupported("its " + what + " '" + iv.name() + "' is not FLOAT");
    }
    return iv;
  }

  boolean allConstant(OnnxMl.NodeProto n) {
    for (String name : n.getInputList()) {
      if (name.isEmpty()) {
        continue;
      }
      ImportValue v = values.get(name);
      if (v == null && initializers.containsKey(name)) {
        if (!isConstantInit(initializers.get(name))) {
          return false;
        }
      } else if (!(v instanceof ConstValue)) {
        return false;
      }
    }
    return true;
  }

  Constant constant(String name) {
    ImportValue v = values.get(name);
    if (v instanceof ConstValue c) {
      return c.constant();
    }
    if (v == null && initializers.containsKey(name) && isSmall(initializers.get(name))) {
      return initConstant(initializers.get(name));
    }
    throw unsupported(
        "its input '"
            + name
            + "' must be a constant (it is "
            + (v == null ? "unknown" : describe(v))
            + ")");
  }

  double scalar(String name) {
    Constant c = constant(name);
    if (c.numel() != 1) {
      throw unsupported("its input '" + name + "' must be a scalar");
    }
    return c.values()[0];
  }

  Constant constantAttr(OnnxMl.NodeProto n) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "value" -> {
          return initConstant(a.getT());
        }
        case "value_int" -> {
          return Constant.scalar(a.getI(), true);
        }
        case "value_ints" -> {
          return Constant.vector(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        }
        case "value_float" -> {
          return Constant.scalar(a.getF(), false);
        }
        case "value_floats" -> {
          double[] d = a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
          return new Constant(new long[] {d.length}, d, false);
        }
        default -> {}
      }
    }
    throw unsupported("a Constant without a numeric value");
  }

  long[] shapeOf(String name) {
    ImportValue v = value(name);
    if (v instanceof NodeValue nv) {
      return nv.shape();
    } else if (v instanceof ShuffleValue sv) {
      long[] s = sv.inShape();
      long gr = sv.groups();
      return sv.transposed() ? sv.fiveD() : new long[] {s[0], gr, s[1] / gr, s[2], s[3]};
    } else if (v instanceof InitValue iv) {
      long[] d = iv.dims();
      return iv.transposed() ? new long[] {d[1], d[0]} : d;
    }
    return ((ConstValue) v).constant().dims();
  }

  boolean consumed(String valueName) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getInputList().contains(valueName)) {
        return true;
      }
    }
    for (OnnxMl.ValueInfoProto o : g.getOutputList()) {
      if (o.getName().equals(valueName)) {
        return true;
      }
    }
    return false;
  }

  long[] broadcast(long[] a, long[] b) {
    try {
      return ShapeArithmetic.broadcast(a, b);
    } catch (IllegalArgumentException e) {
      throw unsupported(e.getMessage());
    }
  }

  static int[] ints(long[] v) {
    if (v == null) {
      return null;
    }
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.toIntExact(v[i]);
    }
    return r;
  }

  NodeAttributes attrs() {
    return new NodeAttributes(current);
  }

  /**
   * The error for the current node: file, node name, op type, the reason (if any) and what is
   * supported.
   */
  IllegalArgumentException unsupported(String reason) {
    OnnxMl.NodeProto n = current;
    String what = n == null ? "the graph" : "node '" + nodeName(n) + "' (" + n.getOpType() + ")";
    return new IllegalArgumentException(
        file
            + ": "
            + what
            + " is not supported"
            + (reason == null ? "" : ": " + reason)
            + "; supported ops: "
            + String.join(", ", OpTable.SUPPORTED)
            + " and shape arithmetic on constants ("
            + String.join(", ", new TreeSet<>(ShapeArithmetic.OPS))
            + ")");
  }
}
