package ghn4j.bench;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.onnx.OnnxModel;
import ghn4j.onnx.OnnxProtos;
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Speed check (not a test): ONNX import — reading the file and building the graph — of a
 * ResNet-50-sized model, against the target of half of ppuda's {@code Graph(model)} time
 * for ResNet-50 (ppuda measured 0.110 s on the development machine, so ≤ 55 ms). Without a file, it
 * writes ResNet-50 (adjusted for 32×32, 10 classes; 23.5 M zero parameters, 94 MB) from the zoo's
 * graph with the protobuf builders — only structure and size matter — in the layout PyTorch's
 * exporter uses (Conv, BatchNormalization, Relu, Add, GlobalAveragePool, Flatten, Gemm).
 */
public final class OnnxImportBench {

  /** ppuda's {@code Graph(resnet50)} time on the development machine, from the issue. */
  public static final double PPUDA_RESNET50_SECONDS = 0.110;

  private OnnxImportBench() {}

  /**
   * The timing of {@code runs} imports of {@code file} after {@code warmup} untimed ones, as a
   * printable table.
   */
  public static String run(Path file, int runs, int warmup) {
    double[] ms = new double[runs];
    OnnxModel m = null;
    for (int i = -warmup; i < runs; i++) {
      long t = System.nanoTime();
      m = OnnxModel.read(file);
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    double[] s = ms.clone();
    Arrays.sort(s);
    double median = Timing.median(s);
    return String.format(
        "| case | nodes (GHN view) | params | median ms | min ms | target ms |%n"
            + "|---|---|---|---|---|---|%n"
            + "| ONNX import (read + graph) %s, %.0f MB | %d | %,d | %.1f | %.1f "
            + "| ≤ %.0f (ppuda Graph(model) %.0f ms / 2) |%n",
        file.getFileName(),
        Files.exists(file) ? file.toFile().length() / 1e6 : 0.0,
        m.graph().primitiveView().size(),
        m.graph().numParams(),
        median,
        s[0],
        PPUDA_RESNET50_SECONDS * 500,
        PPUDA_RESNET50_SECONDS * 1000);
  }

  /**
   * Writes ResNet-50 (32×32, 10 classes, zero weights) as an ONNX file PyTorch's exporter would
   * write.
   */
  public static Path writeResNet50(Path file) throws IOException {
    Graph g = ResNet.resnet50(10);
    OnnxMl.GraphProto.Builder gp = OnnxMl.GraphProto.newBuilder().setName("resnet50");
    OnnxMl.TensorShapeProto.Builder shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (long d : new long[] {3, 32, 32}) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    gp.addInput(
        OnnxMl.ValueInfoProto.newBuilder()
            .setName("input")
            .setType(
                OnnxMl.TypeProto.newBuilder()
                    .setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
    String[] out = new String[g.size()];
    out[0] = "input";
    for (int i = 1; i < g.size(); i++) {
      Node n = g.node(i);
      String[] in = Arrays.stream(n.inputs()).mapToObj(k -> out[k]).toArray(String[]::new);
      out[i] = "/" + n.name() + "_" + i + "_output_0";
      OnnxMl.NodeProto.Builder np =
          OnnxMl.NodeProto.newBuilder().setName("/" + n.name() + "_" + i).addOutput(out[i]);
      for (String s : in) {
        np.addInput(s);
      }
      for (ParamSpec p : n.params()) {
        np.addInput(p.name());
        gp.addInitializer(zeros(p));
      }
      if (n.op() instanceof Ops.Conv c) {
        int[] k = n.shape();
        np.setOpType("Conv")
            .addAttribute(OnnxProtos.ints("kernel_shape", k[2], k[3]))
            .addAttribute(OnnxProtos.ints("strides", c.stride()[0], c.stride()[1]))
            .addAttribute(
                OnnxProtos.ints(
                    "pads", c.padding()[0], c.padding()[1], c.padding()[0], c.padding()[1]))
            .addAttribute(OnnxProtos.ints("dilations", c.dilation()[0], c.dilation()[1]))
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("group")
                    .setI(c.groups())
                    .setType(OnnxMl.AttributeProto.AttributeType.INT));
      } else if (n.op() instanceof Ops.BatchNorm) {
        np.setOpType("BatchNormalization");
        String module = n.name().substring(0, n.name().length() - ".weight".length());
        for (String buf : List.of("running_mean", "running_var")) {
          ParamSpec p = new ParamSpec(module + "." + buf, n.shape(), false);
          np.addInput(p.name());
          gp.addInitializer(zeros(p));
        }
      } else if (n.op() instanceof Ops.Activation a && a.fn().equals("relu")) {
        np.setOpType("Relu");
      } else if (n.op() instanceof Ops.Sum) {
        np.setOpType("Add");
      } else if (n.op() instanceof Ops.GlobalAvgPool) {
        np.setOpType("GlobalAveragePool");
      } else if (n.op() instanceof Ops.Flatten) {
        np.setOpType("Flatten");
      } else if (n.op() instanceof Ops.Linear) {
        // fold the following bias node into one Gemm, as PyTorch exports nn.Linear
        Node bias = g.node(i + 1);
        np.setOpType("Gemm")
            .addInput(bias.params().get(0).name())
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("transB")
                    .setI(1)
                    .setType(OnnxMl.AttributeProto.AttributeType.INT));
        gp.addInitializer(zeros(bias.params().get(0)));
        out[i + 1] = out[i];
        gp.addNode(np);
        i++;
        continue;
      } else {
        throw new IllegalStateException("the bench writer does not know op " + n.op().kind());
      }
      gp.addNode(np);
    }
    gp.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(out[g.size() - 1]));
    OnnxMl.ModelProto model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(7)
            .setProducerName("ghn4j-bench")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
            .setGraph(gp)
            .build();
    try (OutputStream os = Files.newOutputStream(file)) {
      model.writeTo(os);
    }
    return file;
  }

  private static OnnxMl.TensorProto zeros(ParamSpec p) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(p.name())
            .setDataType(1)
            .setRawData(ByteString.copyFrom(new byte[Math.toIntExact(p.numel() * 4)]));
    for (int d : p.shape()) {
      t.addDims(d);
    }
    return t.build();
  }

  /** {@link #run} on {@code file}, or without a file on a ResNet-50 written to a temporary file. */
  public static String runOnFileOrResNet50(Path file, int runs, int warmup) throws IOException {
    Path tmp = null;
    if (file == null) {
      tmp = Files.createTempFile("ghn4j-resnet50-", ".onnx");
      file = writeResNet50(tmp);
    }
    try {
      return run(file, runs, warmup);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
