package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Parses an ONNX model without its large tensor payloads: walks the protobuf wire format of {@code
 * ModelProto} → {@code graph} → {@code initializer} and leaves out every {@code raw_data} longer
 * than {@link #KEEP_BYTES}, so that importing ResNet-50 does not copy its 94 MB of weights into the
 * heap (the import needs only names, types and shapes, and the values of small constants).
 * Everything else is parsed by protobuf from the bytes it keeps.
 */
final class SkeletonReader {

  /** raw_data up to this size is kept (shape constants, small biases). */
  static final int KEEP_BYTES = 4096;

  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int TENSOR_RAW_DATA = 9;

  private SkeletonReader() {}

  /**
   * The model in {@code buf} (position 0 to limit) without large raw_data; throws on malformed
   * input.
   */
  static OnnxMl.ModelProto read(ByteBuffer buf) throws InvalidProtocolBufferException {
    ByteBuffer b = buf.duplicate();
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    OnnxMl.GraphProto graph = null;
    while (b.hasRemaining()) {
      int start = b.position();
      long tag = varint(b);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == MODEL_GRAPH && wire == 2) {
        ByteBuffer sub = slice(b, (int) length(b));
        OnnxMl.GraphProto g = graph(sub);
        graph = graph == null ? g : graph.toBuilder().mergeFrom(g).build();
      } else {
        skip(b, wire);
        copy(b, start, model);
      }
    }
    OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.parseFrom(model.toByteArray()).toBuilder();
    if (graph != null) {
      m.setGraph(graph);
    }
    return m.build();
  }

  private static OnnxMl.GraphProto graph(ByteBuffer b) throws InvalidProtocolBufferException {
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    java.util.List<OnnxMl.TensorProto> inits = new java.util.ArrayList<>();
    while (b.hasRemaining()) {
      int start = b.position();
      long tag = varint(b);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == GRAPH_INITIALIZER && wire == 2) {
        inits.add(tensor(slice(b, (int) length(b))));
      } else {
        skip(b, wire);
        copy(b, start, rest);
      }
    }
    return OnnxMl.GraphProto.parseFrom(rest.toByteArray()).toBuilder()
        .addAllInitializer(inits)
        .build();
  }

  private static OnnxMl.TensorProto tensor(ByteBuffer b) throws InvalidProtocolBufferException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    while (b.hasRemaining()) {
      int start = b.position();
      long tag = varint(b);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == TENSOR_RAW_DATA && wire == 2) {
        int len = (int) length(b);
        if (len > KEEP_BYTES) {
          slice(b, len); // dropped
          continue;
        }
        b.position(b.position() + len);
      } else {
        skip(b, wire);
      }
      copy(b, start, kept);
    }
    return OnnxMl.TensorProto.parseFrom(kept.toByteArray());
  }

  private static void copy(ByteBuffer b, int start, ByteArrayOutputStream out) {
    int end = b.position();
    ByteBuffer d = b.duplicate();
    d.position(start).limit(end);
    byte[] bytes = new byte[end - start];
    d.get(bytes);
    out.write(bytes, 0, bytes.length);
  }

  private static ByteBuffer slice(ByteBuffer b, int len) throws InvalidProtocolBufferException {
    if (len < 0 || len > b.remaining()) {
      throw new InvalidProtocolBufferException(
          "a length-delimited field of "
              + len
              + " bytes runs past the end ("
              + b.remaining()
              + " bytes left): truncated");
    }
    ByteBuffer s = b.duplicate();
    s.limit(b.position() + len);
    b.position(b.position() + len);
    return s.slice();
  }

  private static long length(ByteBuffer b) throws InvalidProtocolBufferException {
    long len = varint(b);
    if (len > Integer.MAX_VALUE) {
      throw new InvalidProtocolBufferException("field length " + len + " is out of range");
    }
    return len;
  }

  private static void skip(ByteBuffer b, int wire) throws InvalidProtocolBufferException {
    switch (wire) {
      case 0 -> varint(b);
      case 1 -> advance(b, 8);
      case 2 -> advance(b, (int) length(b));
      case 5 -> advance(b, 4);
      default -> throw new InvalidProtocolBufferException("unexpected wire type " + wire);
    }
  }

  private static void advance(ByteBuffer b, int n) throws InvalidProtocolBufferException {
    if (n < 0 || n > b.remaining()) {
      throw new InvalidProtocolBufferException(
          "a field of " + n + " bytes runs past the end: truncated");
    }
    b.position(b.position() + n);
  }

  private static long varint(ByteBuffer b) throws InvalidProtocolBufferException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!b.hasRemaining()) {
        throw new InvalidProtocolBufferException("the input ended inside a varint: truncated");
      }
      byte x = b.get();
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new InvalidProtocolBufferException("malformed varint");
  }
}
