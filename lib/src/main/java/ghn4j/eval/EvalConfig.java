package ghn4j.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.io.JsonRecords;
import java.nio.file.Path;
import java.util.List;

/**
 * What an evaluation of predicted parameters ran on, written as {@code config.json} next to its
 * {@code results.csv} by {@code ./ghn4j eval} and {@code eval --spark} (which also compares it to
 * refuse mixing the results of two evaluations in one folder).
 *
 * @param ckpt the GHN checkpoint
 * @param splits the evaluated splits, comma-separated
 * @param meta ppuda's eval meta file, or null for ghn4j's nets
 * @param nets nets per split
 * @param data the test data's name
 * @param numClasses its classes
 * @param largeInput whether its images are ImageNet-sized
 * @param images test images
 * @param batchSize test batch size
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "ckpt",
  "splits",
  "meta",
  "nets",
  "data",
  "num_classes",
  "large_input",
  "images",
  "batch_size",
  "bn"
})
public record EvalConfig(
    String ckpt,
    String splits,
    String meta,
    int nets,
    String data,
    int numClasses,
    boolean largeInput,
    int images,
    int batchSize) {

  /** The config of an evaluation of {@code ckpt} on {@code splits}. */
  public static EvalConfig of(
      Path ckpt,
      List<String> splits,
      Path meta,
      int nets,
      String data,
      int numClasses,
      boolean largeInput,
      int images,
      int batchSize) {
    return new EvalConfig(
        ckpt.toString(),
        String.join(",", splits),
        meta == null ? null : meta.toString(),
        nets,
        data,
        numClasses,
        largeInput,
        images,
        batchSize);
  }

  /** How BatchNorm layers normalise in this evaluation: by the test batch's statistics. */
  @JsonProperty("bn")
  String bn() {
    return "batch statistics";
  }

  /** The config as JSON (snake_case). */
  public ObjectNode toJson() {
    return JsonRecords.tree(this);
  }
}
