package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Arrays;
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
    for (String name : replacements.keySet()) {
      if (!done.contains(name)) {
        throw new IllegalArgumentException("the model has no initializer named " + name);
      }
    }
    return model.toBuilder().setGraph(g).build();
  }
}
