package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares predicted tensors and node embeddings with the reference fixtures (see the fixture
 * README): a digest per tensor ({@code shape, numel, sum, min, max} and strided samples) or full
 * tensors from a safetensors file, each value within {@code atol + rtol·|expected|}, a sum within
 * {@code 1e-4·abs_sum + 1e-5}. Used by the parity tests and the {@code parity} command.
 */
public final class PredictionCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionCheck() {}

  /** Element tolerance {@code |a − b| ≤ atol + rtol·|b|}. */
  public record Tolerance(double atol, double rtol) {
    /** The fixture README's tolerance for predictions and embeddings. */
    public static final Tolerance PREDICTIONS = new Tolerance(1e-5, 1e-3);

    public boolean ok(double actual, double expected) {
      return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /** How far past the tolerance: ≤ 1 passes. */
    public double ratio(double actual, double expected) {
      return Math.abs(actual - expected) / (atol + rtol * Math.abs(expected));
    }
  }

  /**
   * The outcome for one case: how many tensors were compared, the failures (each naming the tensor
   * and what differs), and the largest absolute element error and tolerance ratio seen (ratio ≤ 1
   * means within tolerance).
   */
  public record Report(
      String label,
      int tensors,
      List<String> failures,
      double maxAbsError,
      double maxRatio,
      String worstTensor) {
    public boolean ok() {
      return failures.isEmpty();
    }

    @Override
    public String toString() {
      return String.format(
          "%s: %d tensors, %s, max |Δ| %.3g, max Δ/tol %.3g (%s)%s",
          label,
          tensors,
          ok() ? "OK" : failures.size() + " FAILED",
          maxAbsError,
          maxRatio,
          worstTensor,
          ok()
              ? ""
              : "\n  " + String.join("\n  ", failures.subList(0, Math.min(10, failures.size()))));
    }
  }

  /** Accumulates one report. */
  private static final class Acc {
    final String label;
    final Tolerance tol;
    final List<String> failures = new ArrayList<>();
    int tensors;
    double maxAbs;
    double maxRatio;
    String worst = "-";

    Acc(String label, Tolerance tol) {
      this.label = label;
      this.tol = tol;
    }

    void value(String name, String what, double actual, double expected) {
      double abs = Math.abs(actual - expected);
      double ratio = tol.ratio(actual, expected);
      maxAbs = Math.max(maxAbs, abs);
      if (ratio > maxRatio || Double.isNaN(actual)) {
        maxRatio = Double.isNaN(actual) ? Double.POSITIVE_INFINITY : ratio;
        worst = name + " " + what;
      }
      if (!tol.ok(actual, expected)) {
        failures.add(
            String.format(
                "%s %s: got %.8g, expected %.8g (|Δ| %.3g)", name, what, actual, expected, abs));
      }
    }

    Report report() {
      return new Report(label, tensors, List.copyOf(failures), maxAbs, maxRatio, worst);
    }
  }

  /**
   * Runs {@code ghn} on fixture graph {@code graphs/<net>.json} and checks it against everything
   * the fixtures hold for that case: {@code predictions/<ghnName>/<net>.digest.json}, the full
   * {@code <net>.safetensors} next to it when present, and {@code
   * embeddings/<ghnName>/<net>.safetensors} when present. Arrays go to {@code manager}.
   */
  public static List<Report> fixtureCase(
      Ghn ghn, Path fixtures, String ghnName, String net, ai.djl.ndarray.NDManager manager) {
    ghn4j.graph.Graph graph =
        ghn4j.graph.ReferenceGraphJson.read(fixtures.resolve("graphs").resolve(net + ".json"));
    Predictions p = ghn.predict(List.of(graph), manager);
    List<Report> reports = new ArrayList<>();
    Path pred = fixtures.resolve("predictions").resolve(ghnName);
    reports.add(
        againstDigest(p.params(0), pred.resolve(net + ".digest.json"), Tolerance.PREDICTIONS));
    Path full = pred.resolve(net + ".safetensors");
    if (java.nio.file.Files.exists(full)) {
      reports.add(againstTensors(p.params(0), full, Tolerance.PREDICTIONS));
    }
    Path emb = fixtures.resolve("embeddings").resolve(ghnName).resolve(net + ".safetensors");
    if (java.nio.file.Files.exists(emb)) {
      reports.add(embeddings(p.embeddings(0), emb, Tolerance.PREDICTIONS));
    }
    return reports;
  }

  /**
   * Checks {@code predicted} (name → tensor) against a {@code <net>.digest.json}; names must match
   * exactly.
   */
  public static Report againstDigest(
      Map<String, NDArray> predicted, Path digestFile, Tolerance tol) {
    return againstDigest(predicted, digestFile, tol, java.util.Set.of());
  }

  /**
   * As {@link #againstDigest(Map, Path, Tolerance)}, but the tensors named in {@code
   * checkedElsewhere} are only checked for presence here (their values are checked by the caller,
   * e.g. GHN-3's partly random positional embedding).
   */
  public static Report againstDigest(
      Map<String, NDArray> predicted,
      Path digestFile,
      Tolerance tol,
      java.util.Set<String> checkedElsewhere) {
    JsonNode digest;
    try {
      digest = JSON.readTree(digestFile.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(digestFile + ": unreadable digest: " + e.getMessage(), e);
    }
    Acc acc = new Acc(digestFile.toString(), tol);
    checkNames(acc, predicted.keySet(), iterable(digest.fieldNames()));
    for (Iterator<Map.Entry<String, JsonNode>> it = digest.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kv = it.next();
      String name = kv.getKey();
      NDArray a = predicted.get(name);
      if (a == null || checkedElsewhere.contains(name)) {
        continue;
      }
      JsonNode d = kv.getValue();
      acc.tensors++;
      long[] shape = a.getShape().getShape();
      long[] expShape = new long[d.get("shape").size()];
      for (int i = 0; i < expShape.length; i++) {
        expShape[i] = d.get("shape").get(i).asLong();
      }
      if (!Arrays.equals(shape, expShape)) {
        acc.failures.add(
            name + ": shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expShape));
        continue;
      }
      float[] v = a.toFloatArray();
      if (v.length != d.get("numel").asLong()) {
        acc.failures.add(name + ": numel " + v.length + ", expected " + d.get("numel").asLong());
        continue;
      }
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (float x : v) {
        sum += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      double expSum = d.get("sum").asDouble();
      double sumTol = 1e-4 * d.get("abs_sum").asDouble() + 1e-5;
      if (!(Math.abs(sum - expSum) <= sumTol)) {
        acc.failures.add(
            String.format(
                "%s sum: got %.8g, expected %.8g (tolerance %.3g)", name, sum, expSum, sumTol));
      }
      acc.value(name, "min", min, d.get("min").asDouble());
      acc.value(name, "max", max, d.get("max").asDouble());
      int stride = d.get("sample_stride").asInt();
      JsonNode samples = d.get("samples");
      for (int k = 0; k < samples.size(); k++) {
        long idx = (long) k * stride;
        if (idx >= v.length) {
          acc.failures.add(name + ": sample " + k + " at " + idx + " is beyond the tensor");
          break;
        }
        acc.value(name, "[" + idx + "]", v[(int) idx], samples.get(k).asDouble());
      }
    }
    return acc.report();
  }

  /**
   * Checks {@code predicted} against full reference tensors (e.g. {@code
   * predictions/<ghn>/<net>.safetensors}).
   */
  public static Report againstTensors(
      Map<String, NDArray> predicted, Path safetensorsFile, Tolerance tol) {
    Map<String, SafeTensors.Tensor> expected = SafeTensors.read(safetensorsFile);
    Acc acc = new Acc(safetensorsFile.toString(), tol);
    checkNames(acc, predicted.keySet(), expected.keySet());
    for (SafeTensors.Tensor e : expected.values()) {
      NDArray a = predicted.get(e.name());
      if (a != null) {
        compareFull(acc, e.name(), a, e);
      }
    }
    return acc.report();
  }

  /** Checks node embeddings {@code [n, hid]} against {@code embeddings/<ghn>/<net>.safetensors}. */
  public static Report embeddings(NDArray embeddings, Path safetensorsFile, Tolerance tol) {
    Map<String, SafeTensors.Tensor> expected = SafeTensors.read(safetensorsFile);
    SafeTensors.Tensor e = expected.get("node_embeddings");
    if (e == null) {
      throw new IllegalArgumentException(safetensorsFile + ": no tensor 'node_embeddings'");
    }
    Acc acc = new Acc(safetensorsFile.toString(), tol);
    compareFull(acc, "node_embeddings", embeddings, e);
    return acc.report();
  }

  private static void compareFull(Acc acc, String name, NDArray a, SafeTensors.Tensor e) {
    acc.tensors++;
    long[] shape = a.getShape().getShape();
    long[] expShape = Arrays.stream(e.shape()).asLongStream().toArray();
    if (!Arrays.equals(shape, expShape)) {
      acc.failures.add(
          name + ": shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expShape));
      return;
    }
    float[] v = a.toFloatArray();
    float[] x = e.data();
    int before = acc.failures.size();
    for (int i = 0; i < v.length; i++) {
      acc.value(name, "[" + i + "]", v[i], x[i]);
    }
    int bad = acc.failures.size() - before;
    if (bad > 3) {
      // keep the report readable: first three element failures and a count
      List<String> first = new ArrayList<>(acc.failures.subList(before, before + 3));
      acc.failures.subList(before, acc.failures.size()).clear();
      acc.failures.addAll(first);
      acc.failures.add(name + ": " + bad + " of " + v.length + " elements out of tolerance");
    }
  }

  private static void checkNames(Acc acc, Iterable<String> actual, Iterable<String> expected) {
    TreeSet<String> a = new TreeSet<>();
    actual.forEach(a::add);
    TreeSet<String> e = new TreeSet<>();
    expected.forEach(e::add);
    for (String n : e) {
      if (!a.contains(n)) {
        acc.failures.add(n + ": expected but not predicted");
      }
    }
    for (String n : a) {
      if (!e.contains(n)) {
        acc.failures.add(n + ": predicted but not in the reference");
      }
    }
  }

  private static Iterable<String> iterable(Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
