package ghn4j.cli;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.ReferenceMeta;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import ghn4j.deepnets.SplitStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghn4j stats --split S[,S2...] [--out DIR] [--meta FILE]...}: prints a Table-1-style row
 * per split from our split files and, side by side, from ppuda meta JSON files ({@code
 * deepnets1m_<split>_meta.json} or the merged eval file). Node counts are n/a when neither the
 * files nor a wired graph builder give them.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Table-1-style statistics of DeepNets-1M splits: ours and, with --meta, ppuda's side by side.")
public final class StatsCommand implements Callable<Integer> {

  @Option(
      names = "--split",
      required = true,
      split = ",",
      description = "split name(s), comma-separated")
  List<String> splits;

  @Option(
      names = "--out",
      description = "root directory of our split directories (default: data/deepnets1m)")
  Path out;

  @Option(names = "--meta", description = "ppuda meta JSON file(s) to compare with")
  List<Path> metas = new ArrayList<>();

  private final Supplier<DeepNets> deepNets;

  /** The command with {@link DeepNets#standard()}. */
  public StatsCommand() {
    this(DeepNets::standard);
  }

  /** The command with another generator facade (tests). */
  public StatsCommand(Supplier<DeepNets> deepNets) {
    this.deepNets = deepNets;
  }

  @Override
  public Integer call() throws Exception {
    DeepNets d = deepNets.get();
    Path root = out != null ? out : DeepNets.defaultRoot();
    List<String> rows = new ArrayList<>();
    for (String name : splits) {
      String id = Split.of(name).id();
      Path dir = root.resolve(id);
      boolean any = false;
      if (Files.isDirectory(dir) && !SplitFiles.shardFiles(dir).isEmpty()) {
        rows.add(d.stats(id + " (ghn4j)", SplitFiles.readAll(dir)).format());
        any = true;
      }
      for (Path meta : metas) {
        if (ReferenceMeta.splits(meta).contains(id)) {
          List<SampledNet> nets = ReferenceMeta.read(meta, id);
          rows.add(d.stats(id + " (ppuda)", nets).format());
          any = true;
        }
      }
      if (!any) {
        System.err.println(
            "stats: no nets for split " + id + " (looked in " + dir + " and " + metas + ")");
        return 1;
      }
    }
    System.out.println(SplitStats.header());
    rows.forEach(System.out::println);
    System.out.println(
        "params: CIFAR-10 stem, as stored (ppuda's meta: at C = 32; ours: at each net's C)");
    return 0;
  }
}
