package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.io.AtomicFiles;
import ghn4j.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A training run's directory, the same for meta-training ({@link MetaTrainer}) and SGD ({@link
 * SgdTrainer}): {@code config.json} (what the run was started with), {@code checkpoint.safetensors}
 * (its state after the last checkpoint, one file written atomically: temp + rename) and {@code
 * metrics.jsonl} (a {@link MetricsLog}; lines written after the checkpoint by a killed session, a
 * torn last line too, are dropped on resume), plus other JSON files a run records (e.g. {@code
 * data.json}). A session killed mid-write leaves only a temporary file, which opening the directory
 * removes.
 */
public final class RunDir {

  /** File names inside a run directory. */
  public static final String CONFIG = "config.json";

  public static final String CHECKPOINT = "checkpoint.safetensors";
  public static final String METRICS = "metrics.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  private RunDir(Path dir) {
    this.dir = dir;
  }

  /**
   * A new run in {@code dir} (created): fails when it already holds a checkpoint (resume it
   * instead); writes {@code config} as {@code config.json} and removes old metrics.
   */
  public static RunDir create(Path dir, JsonNode config) throws IOException {
    if (Files.exists(dir.resolve(CHECKPOINT))) {
      throw new IllegalArgumentException(
          dir + " already holds a checkpoint: resume it or choose another directory");
    }
    Files.createDirectories(dir);
    AtomicFiles.deleteStaleTemps(dir); // of an earlier session killed mid-write
    RunDir run = new RunDir(dir);
    run.writeJson(CONFIG, config);
    Files.deleteIfExists(run.metrics());
    return run;
  }

  /** The run in {@code dir} to resume: fails when it holds no checkpoint. */
  public static RunDir resume(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(CHECKPOINT))) {
      throw new IllegalArgumentException(dir + ": no " + CHECKPOINT + " to resume from");
    }
    AtomicFiles.deleteStaleTemps(dir); // a session killed mid-write leaves its temporary file
    return new RunDir(dir);
  }

  /**
   * The run's saved {@code config.json}; the error says when {@code dir} is not a run directory.
   */
  public static JsonNode readConfig(Path dir) throws IOException {
    Path f = dir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + ": no " + CONFIG + " (not a run directory)");
    }
    return JSON.readTree(f.toFile());
  }

  public Path path() {
    return dir;
  }

  public Path checkpoint() {
    return dir.resolve(CHECKPOINT);
  }

  public Path metrics() {
    return dir.resolve(METRICS);
  }

  /** Writes {@code o} (pretty-printed) as {@code name} in the run directory, atomically. */
  public void writeJson(String name, JsonNode o) throws IOException {
    AtomicFiles.writeString(
        dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
  }

  /** Writes the checkpoint (one safetensors file, atomically) with {@code format} in its header. */
  public void writeCheckpoint(Map<String, NDArray> tensors, Map<String, String> header)
      throws IOException {
    SafeTensors.write(checkpoint(), tensors, header);
  }

  /** The checkpoint's tensors, in {@code manager}. */
  public Checkpoint readCheckpoint(NDManager manager) {
    return new Checkpoint(checkpoint(), SafeTensors.read(checkpoint(), manager));
  }

  /**
   * Drops the metrics lines whose {@code key} ({@code step}, {@code epoch}) is ≥ {@code limit}:
   * what a killed session wrote after the checkpoint a run resumes from ({@link
   * MetricsLog#keepBelow}).
   */
  public void keepMetricsBelow(String key, long limit) throws IOException {
    MetricsLog.keepBelow(metrics(), key, limit);
  }

  /** A checkpoint's tensors by name; errors name the file and the missing tensor. */
  public record Checkpoint(Path file, Map<String, NDArray> tensors) {

    /** The tensor {@code name}. */
    public NDArray require(String name) {
      NDArray a = tensors.get(name);
      if (a == null) {
        throw new IllegalArgumentException(
            file + ": lacks tensor " + name + " (another network or an older format?)");
      }
      return a;
    }

    /** The integer values of tensor {@code name}. */
    public long[] longs(String name) {
      return require(name).toLongArray();
    }

    /** The first value of tensor {@code name}, or {@code absent} when the file lacks it. */
    public double doubleOr(String name, double absent) {
      NDArray a = tensors.get(name);
      return a == null ? absent : a.toDoubleArray()[0];
    }
  }
}
