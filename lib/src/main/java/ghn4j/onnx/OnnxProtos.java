package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;

/** Small builders of ONNX protobuf pieces (value infos with a dynamic batch axis, attributes). */
public final class OnnxProtos {

  private OnnxProtos() {}

  /** A float tensor value {@code name} of shape {@code [batch, dims[1], ...]} (dims[0] ignored). */
  public static OnnxMl.ValueInfoProto valueInfo(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int k = 1; k < dims.length; k++) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dims[k]));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  /** A float image value {@code [batch, c, h, w]}. */
  public static OnnxMl.ValueInfoProto valueInfo(String name, int c, int h, int w) {
    return valueInfo(name, 0, c, h, w);
  }

  /** An INTS attribute. */
  public static OnnxMl.AttributeProto ints(String name, int... v) {
    long[] l = new long[v.length];
    for (int k = 0; k < v.length; k++) {
      l[k] = v[k];
    }
    return ints(name, l);
  }

  /** An INTS attribute. */
  public static OnnxMl.AttributeProto ints(String name, long... v) {
    OnnxMl.AttributeProto.Builder a =
        OnnxMl.AttributeProto.newBuilder()
            .setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  /** An INT attribute. */
  public static OnnxMl.AttributeProto intAttr(String name, long v) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  /** A FLOAT attribute. */
  public static OnnxMl.AttributeProto floatAttr(String name, double v) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
        .setF((float) v)
        .build();
  }
}
