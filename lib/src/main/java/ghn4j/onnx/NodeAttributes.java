package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;

/**
 * The attributes of one ONNX node, read with the defaults the importer passes (ONNX's own where it
 * has one).
 */
record NodeAttributes(OnnxMl.NodeProto n) implements ShapeArithmetic.Attrs {

  private OnnxMl.AttributeProto find(String name) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  @Override
  public long i(String name, long dflt) {
    OnnxMl.AttributeProto a = find(name);
    return a == null ? dflt : a.getI();
  }

  @Override
  public long[] ints(String name, long[] dflt) {
    OnnxMl.AttributeProto a = find(name);
    return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  @Override
  public double f(String name, double dflt) {
    OnnxMl.AttributeProto a = find(name);
    return a == null ? dflt : a.getF();
  }

  @Override
  public OnnxMl.TensorProto t(String name) {
    OnnxMl.AttributeProto a = find(name);
    return a == null ? null : a.getT();
  }

  String s(String name, String dflt) {
    OnnxMl.AttributeProto a = find(name);
    return a == null ? dflt : a.getS().toStringUtf8();
  }
}
