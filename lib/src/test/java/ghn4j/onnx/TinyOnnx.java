package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Builds small ONNX models with the protobuf builders, for the importer tests: an image input
 * {@code [N, 3, H, W]}, nodes added one by one, float initializers with seeded random values.
 */
final class TinyOnnx {

  private final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
  private final int opset;
  private final Random random = new Random(7);
  private int counter;

  /**
   * A model of {@code opset} whose input {@code input} is {@code [batch, c, h, w]} (batch
   * symbolic).
   */
  TinyOnnx(int opset, long... chw) {
    this.opset = opset;
    OnnxMl.TensorShapeProto.Builder shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (long d : chw) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    g.addInput(
        OnnxMl.ValueInfoProto.newBuilder()
            .setName("input")
            .setType(
                OnnxMl.TypeProto.newBuilder()
                    .setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
  }

  /** Adds a float initializer with random values. */
  String weight(String name, long... dims) {
    int n = 1;
    for (long d : dims) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.3);
    }
    g.addInitializer(OnnxTensors.of(name, dims, v));
    return name;
  }

  /** Adds an int64 initializer (shapes, axes, pads). */
  String ints(String name, long... values) {
    g.addInitializer(OnnxTensors.ofLongs(name, new long[] {values.length}, values));
    return name;
  }

  /** Adds a Constant node holding a float scalar; returns its output. */
  String constant(float v) {
    String out = "const" + counter++;
    g.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setOpType("Constant")
            .setName(out)
            .addOutput(out)
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("value")
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                    .setT(OnnxTensors.of("", new long[0], new float[] {v}))));
    return out;
  }

  /**
   * Adds a node named {@code name} of {@code op}; attributes as name/value pairs (long, long[],
   * float, String).
   */
  String node(String op, String name, String[] inputs, Object... attrs) {
    String out = name + "_out";
    OnnxMl.NodeProto.Builder n =
        OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    for (int i = 0; i < attrs.length; i += 2) {
      OnnxMl.AttributeProto.Builder a =
          OnnxMl.AttributeProto.newBuilder().setName((String) attrs[i]);
      Object v = attrs[i + 1];
      if (v instanceof Long l) {
        a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
      } else if (v instanceof Integer k) {
        a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(k);
      } else if (v instanceof long[] ls) {
        a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long l : ls) {
          a.addInts(l);
        }
      } else if (v instanceof Float f) {
        a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
      } else if (v instanceof String s) {
        a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
      } else {
        throw new IllegalArgumentException("attribute type " + v.getClass());
      }
      n.addAttribute(a);
    }
    g.addNode(n);
    return out;
  }

  /** A node with several outputs {@code name_out0, name_out1, ...}. */
  String[] multi(String op, String name, int outputs, String[] inputs, Object... attrs) {
    String first = node(op, name, inputs, attrs);
    OnnxMl.NodeProto.Builder n = g.getNodeBuilder(g.getNodeCount() - 1).clearOutput();
    String[] outs = new String[outputs];
    for (int i = 0; i < outputs; i++) {
      outs[i] = first + i;
      n.addOutput(outs[i]);
    }
    return outs;
  }

  /** Conv (+ bias when {@code bias}) with a square kernel; returns its output. */
  String conv(
      String module,
      String x,
      long in,
      long out,
      long k,
      long stride,
      long pad,
      long groups,
      boolean bias) {
    String w = weight(module + ".weight", out, in / groups, k, k);
    String[] inputs =
        bias ? new String[] {x, w, weight(module + ".bias", out)} : new String[] {x, w};
    return node(
        "Conv",
        module,
        inputs,
        "kernel_shape",
        new long[] {k, k},
        "strides",
        new long[] {stride, stride},
        "pads",
        new long[] {pad, pad, pad, pad},
        "group",
        groups,
        "dilations",
        new long[] {1, 1});
  }

  /** BatchNormalization {@code module} over {@code c} channels. */
  String bn(String module, String x, long c) {
    return node(
        "BatchNormalization",
        module,
        new String[] {
          x,
          weight(module + ".weight", c),
          weight(module + ".bias", c),
          weight(module + ".running_mean", c),
          weight(module + ".running_var", c)
        },
        "epsilon",
        1e-5f,
        "momentum",
        0.9f);
  }

  /** The model with {@code output} as its graph output. */
  OnnxMl.ModelProto model(String output) {
    OnnxMl.GraphProto.Builder gb = g.clone();
    gb.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output));
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("TinyOnnx")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(gb)
        .build();
  }

  /** Writes the model to {@code dir/name}. */
  Path write(Path dir, String name, String output) {
    Path f = dir.resolve(name);
    try {
      Files.write(f, model(output).toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }
}
