package ghn4j.cli;

import ghn4j.data.Cifar10;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j data ...}: dataset tasks; {@code data prepare} builds the CIFAR-10 cache the other
 * commands read.
 */
@Command(
    name = "data",
    description = "Datasets: prepare the CIFAR-10 cache; fetch the official DeepNets-1M files.",
    subcommands = {DataCommand.Prepare.class, DataCommand.DeepNets1m.class})
public final class DataCommand extends CommandGroup {

  /**
   * {@code data prepare [--source PATH] [--data-dir DIR]}: decode CIFAR-10 once into {@code
   * <data-dir>/cifar10/}.
   */
  @Command(
      name = "prepare",
      description = {
        "Build the CIFAR-10 cache in <data-dir>/cifar10/ (train.bin, test.bin, classes.txt, source.json).",
        "Source: --source, else $"
            + Cifar10.SOURCE_ENV
            + ", else an existing valid cache is kept, else the "
            + "official archive is downloaded from "
            + Cifar10.OFFICIAL_URL
            + " (MD5-checked).",
        "Does nothing when a valid cache from the same source exists."
      })
  public static final class Prepare implements Callable<Integer> {

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    private boolean help;

    @Option(
        names = "--source",
        paramLabel = "PATH",
        description =
            "cifar-10-binary.tar.gz, an ImageFolder directory (train/<class>/*, test/<class>/*) "
                + "or a .tar.gz of one")
    private String source;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "data directory (default: <repo>/data)")
    private Path dataDir;

    @Override
    public Integer call() {
      Path dir = dataDir != null ? dataDir : Cifar10.defaultDataDir();
      long t0 = System.nanoTime();
      try {
        Cifar10 cifar = Cifar10.prepare(source, dir);
        System.out.printf(
            "CIFAR-10 ready in %s: %d train, %d test images, classes %s (%.1f s)%n",
            dir.resolve("cifar10"),
            cifar.train().size(),
            cifar.test().size(),
            cifar.classes(),
            (System.nanoTime() - t0) / 1e9);
        return 0;
      } catch (IOException e) {
        System.err.println("ghn4j: data prepare: " + e.getMessage());
        return Main.ERROR;
      }
    }
  }

  /**
   * {@code data deepnets1m get PART...}: the official DeepNets-1M files, MD5-checked, the meta
   * archive unpacked.
   */
  @Command(
      name = "deepnets1m",
      description = "The official DeepNets-1M files of ppuda (data/download.sh).",
      subcommands = {DeepNets1mGet.class})
  public static final class DeepNets1m extends CommandGroup {}

  /** Fetches parts of DeepNets-1M into the cache. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Download DeepNets-1M files into <cache>/deepnets1m/ (resuming a partial download), check their "
            + "published MD5, and unpack the meta archive into deepnets1m_{eval,search,train}_meta.json.",
        "eval: deepnets1m_eval.hdf5 (~16 MB); meta: deepnets1m_meta.tar.gz (~35 MB; `eval` and the notebooks use "
            + "its deepnets1m_eval_meta.json for the official split nets); search: ~1.3 GB; train: ~10.3 GB. "
            + "The HDF5 files are verified but not read by ghn4j (nets are rebuilt from the meta JSONs)."
      })
  static final class DeepNets1mGet implements Callable<Integer> {
    @Mixin DownloadOptions download;

    @CommandLine.Parameters(
        arity = "1..*",
        paramLabel = "PART",
        description = "eval, meta, search, train")
    java.util.List<String> parts;

    @Override
    public Integer call() {
      ghn4j.download.Store store = download.store();
      int rc = 0;
      for (String part : parts) {
        try {
          Path p = ghn4j.deepnets.OfficialDeepNets.get(part, store);
          System.out.println(
              "deepnets1m "
                  + part
                  + ": "
                  + p.toAbsolutePath()
                  + " ("
                  + store
                      .catalog()
                      .get(ghn4j.deepnets.OfficialDeepNets.entryName(part))
                      .main()
                      .checksum()
                  + " verified)");
        } catch (IOException | IllegalArgumentException e) {
          System.err.println("ghn4j: data deepnets1m get: " + part + ": " + e.getMessage());
          rc = Main.ERROR;
        }
      }
      return rc;
    }
  }
}
