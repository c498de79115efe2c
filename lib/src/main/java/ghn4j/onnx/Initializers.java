package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Puts new values into an existing ONNX model: {@code predict --onnx in.onnx --out out.onnx} keeps
 * the user's model as it is (ops, names, opset, metadata) and replaces the initializers named by
 * the {@code state_dict} (a GHN's predictions, calibrated BatchNorm statistics). Replaced tensors
 * are written as float32 {@code raw_data}, whatever form they had ({@code raw_data}, {@code
 * float_data} or external data); initializers that are kept but stored externally are read in, so
 * the result does not depend on the input model's data files ({@link OnnxFiles#write} externalises
 * again when the model is large).
 *
 * <p>PyTorch's exporter writes equal tensors once and the others as {@code Identity} nodes of that
 * initializer, named by their own {@code state_dict} name (all BatchNorm weights, biases and
 * running statistics of an untrained net): such a name is replaced too, by an initializer of its
 * own in place of its {@code Identity} node, since predicted values are no longer equal.
 */
public final class Initializers {

  private Initializers() {}

  /**
   * The model with every tensor of {@code replacements} (by initializer name) in place of the old
   * values.
   *
   * @param baseDir directory of the input model, to read external data of the initializers that are
   *     kept (may be null when the model has none)
   * @throws IllegalArgumentException naming the tensor when a name is not an initializer of the
   *     model, the shapes differ, or an initializer is not float32
   */
  public static OnnxMl.ModelProto replace(
      OnnxMl.ModelProto model, Map<String, NDArray> replacements, Path baseDir) {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    Set<String> done = new HashSet<>();
    Map<String, OnnxMl.TensorProto> byName = new HashMap<>();
    g.getInitializerList().forEach(t -> byName.put(t.getName(), t));
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      NDArray a = replacements.get(t.getName());
      if (a != null) {
        long[] dims = OnnxTensors.dims(t);
        long[] shape = a.getShape().getShape();
        if (!Arrays.equals(dims, shape)) {
          throw new IllegalArgumentException(
              "initializer "
                  + t.getName()
                  + ": the model has shape "
                  + Arrays.toString(dims)
                  + ", the new tensor "
                  + Arrays.toString(shape));
        }
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          throw new IllegalArgumentException(
              "initializer "
                  + t.getName()
                  + ": data type "
                  + OnnxMl.TensorProto.DataType.forNumber(t.getDataType())
                  + " in the model, only FLOAT can be replaced");
        }
        OnnxMl.TensorProto.Builder nt = OnnxTensors.of(t.getName(), a).toBuilder();
        if (t.hasDocString()) {
          nt.setDocString(t.getDocString());
        }
        g.setInitializer(i, nt.build());
        done.add(t.getName());
      } else if (OnnxTensors.isExternal(t)) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          throw new IllegalArgumentException(
              "initializer "
                  + t.getName()
                  + ": external data of type "
                  + OnnxMl.TensorProto.DataType.forNumber(t.getDataType())
                  + " cannot be carried over (only FLOAT)");
        }
        g.setInitializer(
            i, OnnxTensors.of(t.getName(), OnnxTensors.dims(t), OnnxTensors.floats(t, baseDir)));
      }
    }
    // aliases of initializers: an initializer of their own instead of the Identity node
    Map<String, Integer> aliases = aliases(model.getGraph(), byName.keySet());
    Set<Integer> dropped = new HashSet<>();
    for (Map.Entry<String, NDArray> e : replacements.entrySet()) {
      String name = e.getKey();
      Integer node = aliases.get(name);
      if (done.contains(name) || node == null) {
        continue;
      }
      OnnxMl.TensorProto source = byName.get(g.getNode(node).getInput(0));
      long[] dims = OnnxTensors.dims(source);
      long[] shape = e.getValue().getShape().getShape();
      if (!Arrays.equals(dims, shape)) {
        throw new IllegalArgumentException(
            "initializer "
                + name
                + " (an Identity of "
                + source.getName()
                + "): the model has shape "
                + Arrays.toString(dims)
                + ", the new tensor "
                + Arrays.toString(shape));
      }
      if (source.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
        throw new IllegalArgumentException(
            "initializer "
                + name
                + " (an Identity of "
                + source.getName()
                + "): data type "
                + OnnxMl.TensorProto.DataType.forNumber(source.getDataType())
                + " in the model, only FLOAT can be replaced");
      }
      g.addInitializer(OnnxTensors.of(name, e.getValue()));
      dropped.add(node);
      done.add(name);
    }
    for (String name : replacements.keySet()) {
      if (!done.contains(name)) {
        throw new IllegalArgumentException("the model has no initializer named " + name);
      }
    }
    if (!dropped.isEmpty()) {
      java.util.List<OnnxMl.NodeProto> kept = new java.util.ArrayList<>();
      for (int i = 0; i < g.getNodeCount(); i++) {
        if (!dropped.contains(i)) {
          kept.add(g.getNode(i));
        }
      }
      g.clearNode().addAllNode(kept);
    }
    return model.toBuilder().setGraph(g).build();
  }

  /**
   * The names {@link #replace} accepts: the model's initializers and the outputs of {@code
   * Identity} nodes of an initializer (the exporter's deduplicated tensors), in the model's order.
   */
  public static Set<String> names(OnnxMl.ModelProto model) {
    Set<String> names = new LinkedHashSet<>();
    model.getGraph().getInitializerList().forEach(t -> names.add(t.getName()));
    names.addAll(aliases(model.getGraph(), new HashSet<>(names)).keySet());
    return names;
  }

  /**
   * Output name → index of each {@code Identity} node whose input is an initializer (and whose
   * output is not one).
   */
  private static Map<String, Integer> aliases(OnnxMl.GraphProto g, Set<String> initializers) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto n = g.getNode(i);
      if (n.getOpType().equals("Identity")
          && n.getInputCount() == 1
          && n.getOutputCount() == 1
          && initializers.contains(n.getInput(0))
          && !initializers.contains(n.getOutput(0))) {
        out.put(n.getOutput(0), i);
      }
    }
    return out;
  }
}
