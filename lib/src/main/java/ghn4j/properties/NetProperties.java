package ghn4j.properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured properties of one network trained by {@link GroundTruth}: one JSON line of a {@link
 * PropertyCache}.
 *
 * @param split DeepNets-1M split of the net
 * @param index index of the net in its split
 * @param budget the {@link Budget#tag()} it was trained with
 * @param width the width C it was built with
 * @param params trainable parameters as built
 * @param nodes nodes of the GHN's view of its graph
 * @param depth longest path (in nodes) through that view
 * @param accuracy clean test accuracy (%) after training
 * @param noiseAccuracy test accuracy (%) on the same images with Gaussian noise
 * @param imagesPerSecond inference throughput at batch 64 on this machine (one intra-op thread when
 *     the run sets it)
 * @param convergeTime fraction of the epochs after which the training accuracy first reached the
 *     budget's fraction of its final value
 * @param trainCurve training accuracy (%) of each epoch
 * @param trainSeconds wall-clock seconds of training and evaluation
 */
public record NetProperties(
    String split,
    int index,
    String budget,
    int width,
    long params,
    int nodes,
    int depth,
    double accuracy,
    double noiseAccuracy,
    double imagesPerSecond,
    double convergeTime,
    List<Double> trainCurve,
    double trainSeconds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public NetProperties {
    trainCurve = List.copyOf(trainCurve);
  }

  /** {@code split/index}: the cache key. */
  public String key() {
    return key(split, index);
  }

  public static String key(String split, int index) {
    return split + "/" + index;
  }

  /** Seconds per 1,000 images at inference ({@link Property#TIME}). */
  public double secondsPer1000() {
    return 1000.0 / imagesPerSecond;
  }

  /** The value of {@code p}. */
  public double value(Property p) {
    return switch (p) {
      case ACCURACY -> accuracy;
      case NOISE_ACCURACY -> noiseAccuracy;
      case TIME -> secondsPer1000();
      case CONVERGENCE -> convergeTime;
    };
  }

  /** The JSON line (without newline). */
  public String toJsonLine() {
    ObjectNode o = JSON.createObjectNode();
    o.put("split", split);
    o.put("index", index);
    o.put("budget", budget);
    o.put("width", width);
    o.put("params", params);
    o.put("nodes", nodes);
    o.put("depth", depth);
    o.put("accuracy", accuracy);
    o.put("noise_accuracy", noiseAccuracy);
    o.put("images_per_s", imagesPerSecond);
    o.put("converge_time", convergeTime);
    ArrayNode c = o.putArray("train_curve");
    trainCurve.forEach(c::add);
    o.put("train_seconds", trainSeconds);
    return o.toString();
  }

  /** Parses a JSON line; {@code where} (file:line) names the line in errors. */
  public static NetProperties fromJsonLine(String line, String where) {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage(), e);
    }
    List<Double> curve = new ArrayList<>();
    for (JsonNode v : require(o, "train_curve", where)) {
      curve.add(v.asDouble());
    }
    return new NetProperties(
        require(o, "split", where).asText(),
        require(o, "index", where).asInt(),
        require(o, "budget", where).asText(),
        require(o, "width", where).asInt(),
        require(o, "params", where).asLong(),
        require(o, "nodes", where).asInt(),
        require(o, "depth", where).asInt(),
        require(o, "accuracy", where).asDouble(),
        require(o, "noise_accuracy", where).asDouble(),
        require(o, "images_per_s", where).asDouble(),
        require(o, "converge_time", where).asDouble(),
        curve,
        require(o, "train_seconds", where).asDouble());
  }

  private static JsonNode require(JsonNode o, String field, String where) {
    JsonNode v = o == null ? null : o.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + ": missing field '" + field + "'");
    }
    return v;
  }
}
