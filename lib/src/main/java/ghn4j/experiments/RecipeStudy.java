package ghn4j.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.GhnConfig;
import ghn4j.io.AtomicFiles;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.TrainNets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GHN training recipes compared at an equal CPU-time budget (issue #5 "quality at equal budget",
 * and the paper's ablations): each variant is meta-trained for the same process CPU time ({@link
 * MetaTrainConfig#cpuMinutes}, fair on a shared machine), then the parameters it predicts are
 * evaluated on the same test nets and images ({@link Evaluator}). A variant's run directory holds
 * what {@code ./ghn4j train} and {@code ./ghn4j eval --out <run>/eval} write ({@code
 * environment/ablations-cpu.sh} runs the grid that way) or what {@link #run} writes in-process;
 * {@link #collect} turns it into an {@link Outcome}, and {@link #writeCsv}/{@link #readCsv} keep
 * the rows as a small results file.
 *
 * <p>Why over ~350 lines: running a variant, collecting a run directory, the seed summaries and the
 * results file are one study's steps over one {@link Outcome} record, and notebook 07 calls them
 * all through this class.
 */
public final class RecipeStudy {

  /** Eval output inside a run directory (as {@code ./ghn4j eval --out <run>/eval}). */
  public static final String EVAL_DIR = "eval";

  /** Steps whose loss is averaged into {@link Outcome#finalLoss}. */
  public static final int FINAL_LOSS_STEPS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEADER =
      "variant,hypernet,meta_batch,batch_size,ve,layernorm,weight_norm,"
          + "cpu_budget_min,cpu_min,train_wall_min,steps,final_loss,nets,images,mean_acc,se_acc";

  private RecipeStudy() {}

  /** A named recipe: a meta-training config (its budget included). */
  public record Variant(String name, MetaTrainConfig config) {}

  /**
   * One variant's result.
   *
   * @param cpuBudgetMinutes the CPU budget it was given; {@code cpuMinutes} the process CPU time
   *     its training used (the last step ends just past the budget); {@code trainWallMinutes} the
   *     wall-clock time of training (depends on the machine's load)
   * @param steps meta-training steps done; {@code finalLoss} mean training loss of the last {@link
   *     #FINAL_LOSS_STEPS}
   * @param meanAccuracy CIFAR-10 top-1 (%) of predicted parameters, mean over the {@code nets} test
   *     nets on {@code images} test images; {@code stdErr} its standard error (population std / √n,
   *     as ppuda)
   */
  public record Outcome(
      String variant,
      String hypernet,
      int metaBatch,
      int batchSize,
      boolean ve,
      boolean layernorm,
      boolean weightNorm,
      double cpuBudgetMinutes,
      double cpuMinutes,
      double trainWallMinutes,
      long steps,
      double finalLoss,
      int nets,
      int images,
      double meanAccuracy,
      double stdErr) {

    String csv() {
      return String.format(
          Locale.ROOT,
          "%s,%s,%d,%d,%b,%b,%b,%.2f,%.3f,%.3f,%d,%.4f,%d,%d,%.3f,%.3f",
          variant,
          hypernet,
          metaBatch,
          batchSize,
          ve,
          layernorm,
          weightNorm,
          cpuBudgetMinutes,
          cpuMinutes,
          trainWallMinutes,
          steps,
          finalLoss,
          nets,
          images,
          meanAccuracy,
          stdErr);
    }
  }

  /**
   * The grid of {@code environment/ablations-cpu.sh} derived from {@code reference} (GHN-2,
   * meta-batch 8 in the paper; its budget is kept): the reference, meta-batch 4 and 1, and one part
   * switched off the meta-batch-1 recipe (no virtual edges, no fan-in normalisation, no LayerNorm),
   * GHN-1 and the MLP at meta-batch 1.
   */
  public static List<Variant> standardGrid(MetaTrainConfig reference) {
    GhnConfig g = reference.ghn();
    List<Variant> out = new ArrayList<>();
    out.add(new Variant("ghn2-m" + reference.metaBatch(), reference));
    out.add(new Variant("ghn2-m4", with(reference, g, 4)));
    out.add(new Variant("ghn2-m1", with(reference, g, 1)));
    out.add(
        new Variant(
            "m1-no-ve",
            with(reference, ghn(g, g.hypernet(), g.weightNorm(), false, g.layernorm()), 1)));
    out.add(
        new Variant(
            "m1-no-weight-norm",
            with(reference, ghn(g, g.hypernet(), false, g.ve(), g.layernorm()), 1)));
    out.add(
        new Variant(
            "m1-no-ln", with(reference, ghn(g, g.hypernet(), g.weightNorm(), g.ve(), false), 1)));
    out.add(
        new Variant(
            "ghn1-m1",
            with(reference, ghn(g, GhnConfig.HypernetKind.GATEDGNN, false, false, false), 1)));
    out.add(
        new Variant(
            "mlp-m1",
            with(
                reference,
                ghn(g, GhnConfig.HypernetKind.MLP, g.weightNorm(), g.ve(), g.layernorm()),
                1)));
    return out;
  }

  private static GhnConfig ghn(
      GhnConfig g, GhnConfig.HypernetKind hypernet, boolean wn, boolean ve, boolean ln) {
    return new GhnConfig(g.maxShape(), g.numClasses(), hypernet, g.decoder(), wn, ve, ln, g.hid());
  }

  /** {@code c} with another GHN and meta-batch. */
  public static MetaTrainConfig with(MetaTrainConfig c, GhnConfig ghn, int metaBatch) {
    return c.withGhn(ghn).withMetaBatch(metaBatch);
  }

  /**
   * Trains {@code variant} in {@code runDir} (which must not hold a checkpoint) until its budget
   * ends, evaluates the GHN on {@code testNets} × {@code testImages} into {@code
   * runDir/eval/results.csv}, and returns its outcome.
   */
  public static Outcome run(
      Variant variant,
      ImageSet trainImages,
      TrainNets nets,
      Path runDir,
      List<NamedGraph> testNets,
      ImageSet testImages)
      throws IOException {
    try (MetaTrainer t =
        MetaTrainer.start(
            variant.config(),
            Dataset.cifar10(trainImages, null, variant.config().augment()),
            nets,
            runDir)) {
      t.run(null);
      List<Evaluator.NetResult> rs =
          Evaluator.evaluate(
              t.ghn(), "test", testNets, testImages, Evaluator.DEFAULT_BATCH_SIZE, null);
      writeEval(runDir.resolve(EVAL_DIR), rs, testImages.size());
    }
    return collect(runDir);
  }

  /**
   * Writes {@code results.csv} and {@code config.json} as {@code ./ghn4j eval} does (the fields
   * collect reads).
   */
  static void writeEval(Path dir, List<Evaluator.NetResult> rs, int images) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve("config.json"), "{\"images\": " + images + "}\n");
    AtomicFiles.writeString(dir.resolve("results.csv"), EvalResults.csv(rs));
  }

  /**
   * Reads a variant's run directory ({@code config.json}, {@code metrics.jsonl}, {@code
   * eval/config.json}, {@code eval/results.csv}) into an outcome named after the directory.
   *
   * @throws IllegalArgumentException naming the file when one is missing or malformed
   */
  public static Outcome collect(Path runDir) {
    MetaTrainConfig cfg;
    try {
      cfg = MetaTrainer.readConfig(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(runDir.resolve(MetaTrainer.CONFIG) + ": " + e.getMessage(), e);
    }
    Path metrics = runDir.resolve(MetaTrainer.METRICS);
    List<JsonNode> steps = new ArrayList<>();
    for (String line : lines(metrics)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode o = JSON.readTree(line);
        if ("step".equals(o.path("type").asText())) {
          steps.add(o);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(metrics + ": not a JSON line: " + line, e);
      }
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(metrics + ": no logged steps");
    }
    JsonNode last = steps.get(steps.size() - 1);
    double loss =
        steps.subList(Math.max(0, steps.size() - FINAL_LOSS_STEPS), steps.size()).stream()
            .mapToDouble(o -> o.path("loss").asDouble())
            .average()
            .orElseThrow();
    Path evalDir = runDir.resolve(EVAL_DIR);
    Path results = evalDir.resolve("results.csv");
    List<Evaluator.NetResult> rs = EvalResults.read(results);
    int images;
    try {
      images = JSON.readTree(evalDir.resolve("config.json").toFile()).path("images").asInt(-1);
    } catch (IOException e) {
      throw new IllegalArgumentException(evalDir.resolve("config.json") + ": " + e.getMessage(), e);
    }
    Evaluator.Summary s = Evaluator.summarize("test", rs);
    GhnConfig g = cfg.ghn();
    return new Outcome(
        runDir.getFileName().toString(),
        g.hypernet().jsonName(),
        cfg.metaBatch(),
        cfg.batchSize(),
        g.ve(),
        g.layernorm(),
        g.weightNorm(),
        cfg.cpuMinutes(),
        last.path("cpu_s").asDouble(Double.NaN) / 60,
        last.path("elapsed_s").asDouble() / 60,
        last.path("step").asLong() + 1,
        loss,
        s.nets(),
        images,
        s.mean(),
        s.stdErr());
  }

  /**
   * {@link #collect} for the named run directories under {@code gridDir}, in that order; missing
   * ones are left out.
   */
  public static List<Outcome> collect(Path gridDir, List<String> names) {
    List<Outcome> out = new ArrayList<>();
    for (String n : names) {
      Path d = gridDir.resolve(n);
      if (Files.isRegularFile(d.resolve(EVAL_DIR).resolve("results.csv"))) {
        out.add(collect(d));
      }
    }
    return out;
  }

  /**
   * Publishes a grid as a small results set: {@link #collect(Path, List)} of {@code names} written
   * to {@code csv}, and each variant's {@code metrics.jsonl}, {@code eval/results.csv} and {@code
   * config.json} copied into the folder named like the CSV without {@code .csv} ({@code
   * <variant>.metrics.jsonl}, {@code <variant>.eval.csv}, {@code <variant>.config.json}: the full
   * recipe, which the CSV's columns only summarise). Returns the outcomes.
   */
  public static List<Outcome> publish(Path gridDir, List<String> names, Path csv)
      throws IOException {
    List<Outcome> os = collect(gridDir, names);
    writeCsv(csv, os);
    String base = csv.getFileName().toString();
    Path files =
        csv.resolveSibling(
            base.endsWith(".csv") ? base.substring(0, base.length() - 4) : base + ".d");
    Files.createDirectories(files);
    for (Outcome o : os) {
      Path run = gridDir.resolve(o.variant());
      Files.copy(
          run.resolve(MetaTrainer.METRICS),
          files.resolve(o.variant() + ".metrics.jsonl"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          run.resolve(EVAL_DIR).resolve("results.csv"),
          files.resolve(o.variant() + ".eval.csv"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          run.resolve(MetaTrainer.CONFIG),
          files.resolve(o.variant() + ".config.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return os;
  }

  /**
   * Separates a recipe from its seed in a variant name: {@code <recipe>@s<seed>}
   * (environment/ablations-cpu.sh).
   */
  public static final String SEED_MARK = "@s";

  /**
   * One recipe over its seeds (the variants {@code <recipe>@s<seed>}; a name without a seed is a
   * recipe of one run).
   *
   * @param seeds how many runs; {@code meanAccuracy} the mean of their test-net accuracies; {@code
   *     seedStdErr} the standard error of that mean over seeds (sample std / √seeds; NaN for one
   *     seed); {@code netStdErr} the standard error from the test nets alone (√(Σ s.e.²) / seeds:
   *     what a single fixed GHN would show)
   * @param meanSteps mean steps done in the budget; {@code meanFinalLoss} the mean of the runs'
   *     final training losses
   * @param variants the runs' variant names, in order
   */
  public record SeedSummary(
      String recipe,
      int seeds,
      double meanAccuracy,
      double seedStdErr,
      double netStdErr,
      double meanSteps,
      double meanFinalLoss,
      double cpuBudgetMinutes,
      int nets,
      int images,
      List<String> variants) {}

  /** The recipe of a variant name: the name without its {@code @s<seed>} suffix. */
  public static String recipeOf(String variant) {
    int i = variant.lastIndexOf(SEED_MARK);
    if (i > 0
        && i + SEED_MARK.length() < variant.length()
        && variant.substring(i + SEED_MARK.length()).chars().allMatch(Character::isDigit)) {
      return variant.substring(0, i);
    }
    return variant;
  }

  /**
   * Groups outcomes by recipe ({@link #recipeOf}), recipes in first-seen order.
   *
   * @throws IllegalArgumentException when runs of one recipe differ in budget or evaluation (nets,
   *     images): their accuracies would not be comparable
   */
  public static List<SeedSummary> bySeed(List<Outcome> outcomes) {
    Map<String, List<Outcome>> groups = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      groups.computeIfAbsent(recipeOf(o.variant()), k -> new ArrayList<>()).add(o);
    }
    List<SeedSummary> out = new ArrayList<>();
    groups.forEach(
        (recipe, os) -> {
          Outcome first = os.get(0);
          for (Outcome o : os) {
            // a run without a CPU budget had a step budget (ablations-cpu.sh <N>steps): same steps
            boolean stepBudget = first.cpuBudgetMinutes() == 0 && o.cpuBudgetMinutes() == 0;
            if (o.nets() != first.nets()
                || o.images() != first.images()
                || o.cpuBudgetMinutes() != first.cpuBudgetMinutes()
                || (stepBudget && o.steps() != first.steps())) {
              throw new IllegalArgumentException(
                  recipe
                      + ": runs "
                      + first.variant()
                      + " and "
                      + o.variant()
                      + " differ in budget or evaluation ("
                      + first.cpuBudgetMinutes()
                      + " vs "
                      + o.cpuBudgetMinutes()
                      + " CPU min, "
                      + first.steps()
                      + " vs "
                      + o.steps()
                      + " steps, "
                      + first.nets()
                      + "x"
                      + first.images()
                      + " vs "
                      + o.nets()
                      + "x"
                      + o.images()
                      + ")");
            }
          }
          int n = os.size();
          double[] accuracies = os.stream().mapToDouble(Outcome::meanAccuracy).toArray();
          double mean = Arrays.stream(accuracies).average().orElseThrow();
          double seedSe = PairedDifference.stdErr(accuracies);
          double netSe = Math.sqrt(os.stream().mapToDouble(o -> o.stdErr() * o.stdErr()).sum()) / n;
          out.add(
              new SeedSummary(
                  recipe,
                  n,
                  mean,
                  seedSe,
                  netSe,
                  os.stream().mapToLong(Outcome::steps).average().orElseThrow(),
                  os.stream().mapToDouble(Outcome::finalLoss).average().orElseThrow(),
                  first.cpuBudgetMinutes(),
                  first.nets(),
                  first.images(),
                  os.stream().map(Outcome::variant).toList()));
        });
    return out;
  }

  /** Writes the outcomes as CSV (header {@value #HEADER}), atomically. */
  public static void writeCsv(Path file, List<Outcome> outcomes) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    outcomes.forEach(o -> sb.append(o.csv()).append('\n'));
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /** Reads {@link #writeCsv}'s file; errors name the file and line. */
  public static List<Outcome> readCsv(Path file) {
    List<String> rows = lines(file);
    if (rows.isEmpty() || !rows.get(0).strip().equals(HEADER)) {
      throw new IllegalArgumentException(file + ": expected the header " + HEADER);
    }
    List<Outcome> out = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      String row = rows.get(i).strip();
      if (row.isEmpty()) {
        continue;
      }
      String[] f = row.split(",");
      if (f.length != 16) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected 16 fields, got " + f.length);
      }
      try {
        out.add(
            new Outcome(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Integer.parseInt(f[3]),
                bool(f[4]),
                bool(f[5]),
                bool(f[6]),
                Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                Double.parseDouble(f[9]),
                Long.parseLong(f[10]),
                Double.parseDouble(f[11]),
                Integer.parseInt(f[12]),
                Integer.parseInt(f[13]),
                Double.parseDouble(f[14]),
                Double.parseDouble(f[15])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static boolean bool(String s) {
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException("expected true or false, got '" + s + "'");
    }
    return s.equals("true");
  }

  private static List<String> lines(Path f) {
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(f + ": missing");
    }
    try {
      return Files.readAllLines(f);
    } catch (IOException e) {
      throw new UncheckedIOException(f + ": " + e.getMessage(), e);
    }
  }
}
