package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Puts new values into an existing ONNX model: {@code predict --onnx in.onnx --out out.onnx} keeps the user's model
 * as it is (ops, names, opset, metadata) and replaces the initializers named by the {@code state_dict} (a GHN's
 * predictions, calibrated BatchNorm statistics). Replaced tensors are written as float32 {@code raw_data}, whatever
 * form they had ({@code raw_data}, {@code float_data} or external data); initializers that are kept but stored
 * externally are read in, so the result does not depend on the input model's data files
 * ({@link OnnxFiles#write} externalises again when the model is large).
 */
public final class Initializers {

  private Initializers() {}

  /** The index of the Identity node that outputs {@code name} from an initializer, or -1. */
  private static int sharedBy(OnnxMl.GraphProto.Builder g, String name, Map<String, OnnxMl.TensorProto> inits) {
    for (int k = 0; k < g.getNodeCount(); k++) {
      OnnxMl.NodeProto n = g.getNode(k);
      if (n.getOpType().equals("Identity") && n.getOutputCount() == 1 && n.getOutput(0).equals(name)
          && n.getInputCount() == 1 && inits.containsKey(n.getInput(0))) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The model with every tensor of {@code replacements} (by initializer name) in place of the old values.
   *
   * @param baseDir directory of the input model, to read external data of the initializers that are kept (may be null
   *     when the model has none)
   * @throws IllegalArgumentException naming the tensor when a name is not an initializer of the model, the shapes
   *     differ, or an initializer is not float32
   */
  public static OnnxMl.ModelProto replace(OnnxMl.ModelProto model, Map<String, NDArray> replacements, Path baseDir) {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    Set<String> done = new HashSet<>();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      NDArray a = replacements.get(t.getName());
      if (a != null) {
        long[] dims = OnnxTensors.dims(t);
        long[] shape = a.getShape().getShape();
        if (!Arrays.equals(dims, shape)) {
          throw new IllegalArgumentException("initializer " + t.getName() + ": the model has shape "
              + Arrays.toString(dims) + ", the new tensor " + Arrays.toString(shape));
        }
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          throw new IllegalArgumentException("initializer " + t.getName() + ": data type "
              + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + " in the model, only FLOAT can be replaced");
        }
        OnnxMl.TensorProto.Builder nt = OnnxTensors.of(t.getName(), a).toBuilder();
        if (t.hasDocString()) {
          nt.setDocString(t.getDocString());
        }
        g.setInitializer(i, nt.build());
        done.add(t.getName());
      } else if (OnnxTensors.isExternal(t)) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          throw new IllegalArgumentException("initializer " + t.getName() + ": external data of type "
              + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + " cannot be carried over (only FLOAT)");
        }
        g.setInitializer(i, OnnxTensors.of(t.getName(), OnnxTensors.dims(t), OnnxTensors.floats(t, baseDir)));
      }
    }
    // PyTorch's exporter writes equal tensors once and the others as Identity nodes named by their own state_dict name
    // (e.g. every BatchNorm weight of an untrained net). A predicted tensor of its own replaces such an Identity by an
    // initializer of that name, so that the tensors no longer share values.
    Map<String, OnnxMl.TensorProto> byName = new HashMap<>();
    g.getInitializerList().forEach(t -> byName.put(t.getName(), t));
    Set<Integer> dropped = new HashSet<>();
    for (String name : replacements.keySet()) {
      if (done.contains(name)) {
        continue;
      }
      int k = sharedBy(g, name, byName);
      if (k < 0) {
        throw new IllegalArgumentException("the model has no initializer named " + name);
      }
      OnnxMl.TensorProto source = byName.get(g.getNode(k).getInput(0));
      long[] dims = OnnxTensors.dims(source);
      long[] shape = replacements.get(name).getShape().getShape();
      if (!Arrays.equals(dims, shape)) {
        throw new IllegalArgumentException("tensor " + name + " (an Identity of initializer " + source.getName()
            + "): the model has shape " + Arrays.toString(dims) + ", the new tensor " + Arrays.toString(shape));
      }
      g.addInitializer(OnnxTensors.of(name, replacements.get(name)));
      dropped.add(k);
    }
    if (!dropped.isEmpty()) {
      List<OnnxMl.NodeProto> nodes = new ArrayList<>();
      for (int k = 0; k < g.getNodeCount(); k++) {
        if (!dropped.contains(k)) {
          nodes.add(g.getNode(k));
        }
      }
      g.clearNode().addAllNode(nodes);
    }
    return model.toBuilder().setGraph(g).build();
  }
}
