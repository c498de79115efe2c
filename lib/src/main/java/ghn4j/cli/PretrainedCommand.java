package ghn4j.cli;

import ghn4j.download.Catalog;
import ghn4j.download.RemoteFile;
import ghn4j.download.Store;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ./ghn4j pretrained list | get NAME | path NAME}: the published GHN checkpoints (ppuda's
 * and ghn4j's released one), fetched into the cache and checked against their recorded hashes.
 */
@Command(
    name = "pretrained",
    description = {
      "Published GHN checkpoints: ppuda's (GHN-2, GHN-1, MLP for CIFAR-10; GHN-2, GHN-1 for ImageNet), "
          + "ghn4j's released one and ghn3's GHN-3s on the Hugging Face hub (ghn3-tm8, -sm8, -lm8, -xlm16). Each file "
          + "is checked against the git blob SHA-1 its repository records, or for hub files the SHA-256 the hub reports "
          + "(recorded on first download as <file>.sha256)."
    },
    subcommands = {
      PretrainedCommand.ListNames.class,
      PretrainedCommand.Get.class,
      PretrainedCommand.PathOf.class
    })
public final class PretrainedCommand extends CommandGroup {

  /**
   * Prints every name, its size, source, state in the cache and description (also DeepNets-1M
   * files).
   */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every name with its size, source and whether it is cached (then its path).")
  static final class ListNames implements Callable<Integer> {
    @Mixin DownloadOptions download;

    @Override
    public Integer call() {
      Store store = download.store();
      System.out.println(
          "cache: "
              + store.settings().cache().toAbsolutePath()
              + (store.settings().mirror() != null ? "   mirror: " + store.settings().mirror() : "")
              + (store.settings().offline() ? "   (offline)" : ""));
      System.out.printf(
          "%-20s %-10s %-40s %-8s %s%n", "name", "size", "source", "state", "what / path");
      for (Store.Status s : store.list()) {
        Catalog.Entry e = s.entry();
        long total =
            e.files().stream().mapToLong(RemoteFile::size).anyMatch(v -> v < 0)
                ? -1
                : e.files().stream().mapToLong(RemoteFile::size).sum();
        String size = total >= 0 ? RemoteFile.formatBytes(total) : e.main().sizeLabel();
        System.out.printf(
            "%-20s %-10s %-40s %-8s %s%n",
            e.name(), size, e.source(), label(s.state()), e.description());
        System.out.printf(
            "%-20s %-10s %-40s %-8s %s%s%n",
            "",
            "",
            "",
            "",
            s.path(),
            e.main().repoPath() != null ? "  (" + e.main().checksumLabel() + ")" : "");
      }
      System.out.println(
          "state: cached = present and verified; present = here, checked on first use; partial = an "
              + "interrupted download that `get` resumes; missing = `get` downloads it");
      return 0;
    }

    private static String label(Store.State s) {
      return s.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Fetches and verifies one or more names. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Download NAME into the cache (resuming a partial download), verify it, print its path.")
  static final class Get implements Callable<Integer> {
    @Mixin DownloadOptions download;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "names from `pretrained list`")
    java.util.List<String> names;

    @Override
    public Integer call() {
      Store store = download.store();
      int rc = 0;
      for (String name : names) {
        try {
          Catalog.Entry e = store.catalog().get(name);
          // a DeepNets-1M name goes through `data deepnets1m get`, which also unpacks the meta
          // archive
          java.nio.file.Path p =
              e.kind() == Catalog.Kind.DEEPNETS1M
                  ? ghn4j.deepnets.OfficialDeepNets.get(
                      name.substring("deepnets1m-".length()), store)
                  : store.get(e);
          System.out.println(
              name
                  + ": "
                  + p.toAbsolutePath()
                  + " ("
                  + store.known(e, e.main()).checksum()
                  + " verified)");
        } catch (IOException | IllegalArgumentException e) {
          System.err.println("ghn4j: pretrained get: " + name + ": " + e.getMessage());
          rc = Main.ERROR;
        }
      }
      return rc;
    }
  }

  /**
   * The verified path of a cached name, for scripts; fails (without downloading) when it is not
   * cached.
   */
  @Command(
      name = "path",
      mixinStandardHelpOptions = true,
      description =
          "Print the path of NAME when it is here and verified (no download; exit 1 otherwise).")
  static final class PathOf implements Callable<Integer> {
    @Mixin DownloadOptions download;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      Store store = download.store();
      try {
        Catalog.Entry e = store.catalog().get(name);
        var p = store.cached(e);
        if (p.isEmpty()) {
          System.err.println(
              "ghn4j: pretrained path: "
                  + name
                  + " is not cached (or fails its check) under "
                  + store.folder(e.kind()).toAbsolutePath()
                  + "; `./ghn4j pretrained get "
                  + name
                  + "` fetches it");
          return 1;
        }
        System.out.println(p.get().toAbsolutePath());
        return 0;
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("ghn4j: pretrained path: " + e.getMessage());
        return Main.ERROR;
      }
    }
  }
}
