package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import ghn4j.graph.Graph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model read from a file, with the ghn4j {@link Graph} of the network it describes: the
 * graph ppuda builds for the torch module the file was exported from (node types, edges, parameter
 * names and shapes; see {@link OnnxImporter}), executable by {@code ghn4j.nn.GraphExecutor}.
 * Initializer names are the parameter names (PyTorch writes the {@code state_dict} names); {@link
 * #bindings()} says which initializer holds which parameter.
 *
 * <p>Single files and files with external data ({@code data_location: EXTERNAL}, paths relative to
 * the model's folder) are read, and gzip-compressed files ({@code .onnx.gz}, see {@link
 * ModelBytes}). The import parses the file without its large tensor payloads; {@link #proto()} and
 * {@link #initializerValues} read them on demand (external tensors from their files). Opsets 11 and
 * later are accepted. Thread-safe.
 */
public final class OnnxModel {

  /** The oldest opset whose attribute conventions the importer handles. */
  public static final int MIN_OPSET = 11;

  private final Path file;

  /** The skeleton the graph was imported from (large raw_data left out). */
  private final OnnxMl.ModelProto proto;

  /** The complete model, parsed on demand by {@link #proto()}. */
  private OnnxMl.ModelProto full;

  private final Graph graph;
  private final int opset;
  private final String inputName;
  private final long[] inputShape;
  private final List<ParamBinding> bindings;
  private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();

  private OnnxModel(Path file, OnnxMl.ModelProto proto, int opset, OnnxImporter.Result r) {
    this.file = file;
    this.proto = proto;
    this.opset = opset;
    this.graph = r.graph();
    this.inputName = r.inputName();
    this.inputShape = r.inputShape();
    this.bindings = List.copyOf(r.bindings());
  }

  /**
   * Reads and imports {@code file}. Errors (IllegalArgumentException) name the file and: an
   * unsupported node (its name, op type, and the supported ops), a likely folded BatchNorm (and how
   * to export with BatchNorm kept), a file that is not ONNX or is truncated, an input that is not
   * {@code [N, 3, H, W]}, an opset older than 11.
   */
  public static OnnxModel read(Path file) {
    return read(file, false);
  }

  /**
   * As {@link #read(Path)}; with {@code acceptFoldedBatchNorm} a BN-free network whose biased
   * convolutions feed residual sums or other convolutions directly is imported as it is (when it
   * really was built without BatchNorm).
   */
  public static OnnxModel read(Path file, boolean acceptFoldedBatchNorm) {
    OnnxMl.ModelProto proto = parse(file);
    int opset = opset(file, proto);
    return new OnnxModel(
        file, proto, opset, OnnxImporter.importGraph(file, proto, acceptFoldedBatchNorm));
  }

  /** The skeleton of the model (large raw_data left out, see {@link SkeletonReader}). */
  private static OnnxMl.ModelProto parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    OnnxMl.ModelProto proto;
    try {
      proto = SkeletonReader.read(ModelBytes.read(file));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          file
              + ": not an ONNX model (protobuf parse failed: "
              + e.getMessage()
              + "; truncated or not an .onnx file?)",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0 || proto.getIrVersion() <= 0) {
      throw new IllegalArgumentException(
          file
              + ": not an ONNX model ("
              + (proto.hasGraph() ? "its graph has no nodes" : "no graph")
              + (proto.getIrVersion() <= 0 ? ", no ir_version" : "")
              + "; truncated or not an .onnx file?)");
    }
    return proto;
  }

  /** The complete model, parsed from the file (with all tensor data). */
  private static OnnxMl.ModelProto parseFull(Path file) {
    try {
      CodedInputStream cin = CodedInputStream.newInstance(ModelBytes.read(file));
      cin.setSizeLimit(Integer.MAX_VALUE);
      return OnnxMl.ModelProto.parseFrom(cin);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static int opset(Path file, OnnxMl.ModelProto proto) {
    int opset = -1;
    for (OnnxMl.OperatorSetIdProto o : proto.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    if (opset < 0) {
      throw new IllegalArgumentException(
          file + ": not an ONNX model (no opset_import of the standard domain)");
    }
    if (opset < MIN_OPSET) {
      throw new IllegalArgumentException(
          file
              + ": opset "
              + opset
              + " is older than "
              + MIN_OPSET
              + "; re-export with torch.onnx.export(..., opset_version=13)");
    }
    return opset;
  }

  /** The ghn4j graph of the network (executable; its primitive view is what a GHN reads). */
  public Graph graph() {
    return graph;
  }

  /**
   * The complete parsed protobuf, with the tensor data stored in the file (external tensors not
   * loaded). Parsed on the first call: {@link #read} itself parses the file without its large
   * tensor payloads.
   */
  public synchronized OnnxMl.ModelProto proto() {
    if (full == null) {
      full = parseFull(file);
    }
    return full;
  }

  /** The file the model was read from. */
  public Path file() {
    return file;
  }

  /** The version of the standard ONNX opset the model imports. */
  public int opset() {
    return opset;
  }

  /** The name of the image input. */
  public String inputName() {
    return inputName;
  }

  /**
   * The image input's shape {@code [N, 3, H, W]} as used for the import: the batch is 1 and
   * symbolic H, W are 32.
   */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** For every graph parameter, the initializer that holds it (graph parameter order). */
  public List<ParamBinding> bindings() {
    return bindings;
  }

  /** The values of initializer {@code name} as float32, read from the file or its external data. */
  public synchronized float[] initializerValues(String name) {
    if (initializers.isEmpty()) {
      for (OnnxMl.TensorProto t : proto().getGraph().getInitializerList()) {
        initializers.put(t.getName(), t);
      }
    }
    OnnxMl.TensorProto t = initializers.get(name);
    if (t == null) {
      throw new IllegalArgumentException(file + ": no initializer '" + name + "'");
    }
    try {
      return OnnxTensors.floats(t, file.toAbsolutePath().getParent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The values of graph parameter {@code param} in its own layout (row-major over {@code
   * ParamSpec.shape()}): read from its initializer through {@link #bindings()}, transposed where
   * the file stores the transpose.
   */
  public float[] paramValues(String param) {
    ParamBinding b =
        bindings.stream()
            .filter(x -> x.param().equals(param))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        file + ": the graph has no parameter '" + param + "'"));
    float[] v = initializerValues(b.initializer());
    if (!b.transposed()) {
      return v;
    }
    int[] shape =
        graph.params().stream()
            .filter(p -> p.name().equals(param))
            .findFirst()
            .orElseThrow()
            .shape();
    int rows = shape[0];
    int cols = shape[1];
    float[] t = new float[v.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[r * cols + c] = v[c * rows + r]; // stored [cols, rows]
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "OnnxModel[" + file + ", opset " + opset + ", " + graph + "]";
  }
}
