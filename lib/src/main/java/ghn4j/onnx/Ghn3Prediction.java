package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import ghn4j.ghn.Ghn3;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import ghn4j.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's ONNX model with its parameters predicted by GHN-3: the graph GHN-3 reads ({@link
 * Ghn3Graphs#read}, from the file's dataflow, so any family: CNNs, ViT, ConvNeXt), the predictions
 * keyed by the model's initializer names, and, when ghn4j's executable importer takes the model
 * (CNNs), that import, so that the written file can be checked against ghn4j's executor ({@link
 * #executable()}). Parameters GHN-3 leaves out (ViT's {@code class_token}, ConvNeXt's {@code
 * layer_scale}, as ghn3 does) keep the file's values ({@link #notPredicted()}).
 *
 * <pre>{@code
 * try (Ghn3 ghn = Ghn3.pretrained("ghn3-tm8"); NDManager m = Devices.newManager()) {
 *   Ghn3Prediction p = Ghn3Prediction.of(Path.of("vit_b_16.onnx"), ghn, m);
 *   p.writeOnnx(Path.of("vit_b_16-ghn3.onnx"));      // the same model, predicted initializers
 * }
 * }</pre>
 */
public final class Ghn3Prediction {

  private final Path file;
  private final OnnxMl.ModelProto proto;
  private final Graph graph;
  private final Map<String, NDArray> params;
  private final OnnxModel executable;
  private final String whyNotExecutable;
  private final double graphSeconds;
  private final double forwardSeconds;

  private Ghn3Prediction(
      Path file,
      OnnxMl.ModelProto proto,
      Graph graph,
      Map<String, NDArray> params,
      OnnxModel executable,
      String whyNotExecutable,
      double graphSeconds,
      double forwardSeconds) {
    this.file = file;
    this.proto = proto;
    this.graph = graph;
    this.params = params;
    this.executable = executable;
    this.whyNotExecutable = whyNotExecutable;
    this.graphSeconds = graphSeconds;
    this.forwardSeconds = forwardSeconds;
  }

  /**
   * Reads {@code file} (plain or gzip ONNX), builds its GHN-3 graph, predicts its parameters
   * (arrays in {@code manager}) and tries the executable import.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or GHN-3's graph cannot
   *     be built
   */
  public static Ghn3Prediction of(Path file, Ghn3 ghn, NDManager manager) {
    long t0 = System.nanoTime();
    Graph g = Ghn3Graphs.read(file);
    long t1 = System.nanoTime();
    Map<String, NDArray> predicted = ghn.predict(List.of(g), manager).params(0);
    long t2 = System.nanoTime();
    OnnxMl.ModelProto full = parseFull(file);
    OnnxModel exec = null;
    String why = null;
    try {
      exec = OnnxModel.read(file, true);
      for (ParamSpec p : exec.graph().params()) {
        if (!predicted.containsKey(p.name())) {
          exec = null;
          why =
              "the executable import has parameter "
                  + p.name()
                  + " that GHN-3's graph does not predict";
          break;
        }
      }
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    return new Ghn3Prediction(
        file, full, g, predicted, exec, why, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /** The model file. */
  public Path file() {
    return file;
  }

  /** The graph GHN-3 read. */
  public Graph graph() {
    return graph;
  }

  /** The predicted parameters by state_dict (= initializer) name, in PyTorch's layout. */
  public Map<String, NDArray> params() {
    return params;
  }

  /** Seconds spent building the graph from the file. */
  public double graphSeconds() {
    return graphSeconds;
  }

  /** Seconds spent in GHN-3's forward pass. */
  public double forwardSeconds() {
    return forwardSeconds;
  }

  /**
   * The prediction on ghn4j's executable import of the same file (ready to calibrate, write and
   * check in ONNX Runtime against our executor), or null when the importer does not take the model
   * ({@link #whyNotExecutable()}).
   */
  public PredictedModel executable() {
    if (executable == null) {
      return null;
    }
    Map<String, NDArray> own = new LinkedHashMap<>();
    for (ParamSpec p : executable.graph().params()) {
      own.put(p.name(), params.get(p.name()));
    }
    return new PredictedModel(executable, new NetworkExport(executable.graph(), own, null, 0));
  }

  /** Why {@link #executable()} is null (the importer's message), or null. */
  public String whyNotExecutable() {
    return whyNotExecutable;
  }

  /**
   * The model's float initializers that look like parameters (not exporter constants {@code
   * onnx::...}/{@code /...}, not BatchNorm running statistics) and that GHN-3 did not predict: they
   * keep the file's values.
   */
  public List<String> notPredicted() {
    List<String> out = new ArrayList<>();
    for (OnnxMl.TensorProto t : proto.getGraph().getInitializerList()) {
      String n = t.getName();
      if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()
          && !params.containsKey(n)
          && !n.startsWith("onnx::")
          && !n.startsWith("/")
          && !n.endsWith("running_mean")
          && !n.endsWith("running_var")
          && t.getDimsCount() > 0) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Writes the input model with every predicted initializer replaced (a 2-D weight the file keeps
   * transposed is written transposed), atomically. BatchNorm running statistics stay the file's.
   *
   * @throws IllegalArgumentException naming the tensor when a prediction has no initializer of a
   *     matching shape
   */
  public void writeOnnx(Path out) throws IOException {
    Map<String, long[]> dims = new LinkedHashMap<>();
    for (OnnxMl.TensorProto t : proto.getGraph().getInitializerList()) {
      dims.put(t.getName(), OnnxTensors.dims(t));
    }
    for (OnnxMl.NodeProto n :
        proto.getGraph().getNodeList()) { // equal tensors the exporter wrote once (Identity)
      if (n.getOpType().equals("Identity")
          && n.getInputCount() == 1
          && dims.containsKey(n.getInput(0))) {
        dims.putIfAbsent(n.getOutput(0), dims.get(n.getInput(0)));
      }
    }
    Map<String, NDArray> inFile = new LinkedHashMap<>();
    List<NDArray> made = new ArrayList<>();
    try {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        long[] want = dims.get(e.getKey());
        long[] have = e.getValue().getShape().getShape();
        if (want == null) {
          throw new IllegalArgumentException(
              file
                  + ": predicted parameter "
                  + e.getKey()
                  + " is not an initializer "
                  + "of the model");
        }
        if (Arrays.equals(want, have)) {
          inFile.put(e.getKey(), e.getValue());
        } else if (have.length == 2
            && want.length == 2
            && want[0] == have[1]
            && want[1] == have[0]) {
          NDArray t = e.getValue().transpose();
          made.add(t);
          inFile.put(e.getKey(), t);
        } else {
          throw new IllegalArgumentException(
              file
                  + ": initializer "
                  + e.getKey()
                  + " has shape "
                  + Arrays.toString(want)
                  + ", GHN-3 predicted "
                  + Arrays.toString(have));
        }
      }
      OnnxFiles.write(Initializers.replace(proto, inFile, file.toAbsolutePath().getParent()), out);
    } finally {
      made.forEach(NDArray::close);
    }
  }

  /**
   * Writes the predicted parameters by state_dict name as safetensors (PyTorch's layout),
   * atomically.
   */
  public void writeSafetensors(Path out) throws IOException {
    SafeTensors.write(out, params, Map.of("format", "pt", "producer", "ghn4j GHN-3"));
  }

  /**
   * The model's input shape {@code [N, C, H, W]} with {@code batch} for a dynamic batch (and 224
   * for dynamic sizes).
   */
  public long[] inputShape(int batch) {
    OnnxMl.ValueInfoProto in = proto.getGraph().getInput(0);
    List<OnnxMl.TensorShapeProto.Dimension> ds =
        in.getType().getTensorType().getShape().getDimList();
    if (ds.size() != 4) {
      throw new IllegalArgumentException(
          file
              + ": input "
              + in.getName()
              + " has "
              + ds.size()
              + " dimensions, not "
              + "[N, C, H, W]");
    }
    long[] shape = new long[4];
    for (int i = 0; i < 4; i++) {
      long v = ds.get(i).hasDimValue() ? ds.get(i).getDimValue() : 0;
      shape[i] = i == 0 ? batch : v > 0 ? v : i == 1 ? 3 : 224;
    }
    return shape;
  }

  /** Counts of the GHN's node types (primitive names) in {@link #graph()}, most frequent first. */
  public Map<String, Integer> nodeTypes() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      counts.merge(n.primitive() == null ? "(hidden)" : n.primitive().refName(), 1, Integer::sum);
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static OnnxMl.ModelProto parseFull(Path file) {
    try {
      CodedInputStream cin = CodedInputStream.newInstance(ModelBytes.read(file));
      cin.setSizeLimit(Integer.MAX_VALUE);
      return OnnxMl.ModelProto.parseFrom(cin);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
