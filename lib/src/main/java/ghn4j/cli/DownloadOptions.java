package ghn4j.cli;

import ghn4j.download.DownloadSettings;
import ghn4j.download.Store;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --cache}, {@code --mirror}, {@code --offline}: where published files are kept and how they
 * are fetched.
 */
final class DownloadOptions {

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "cache directory (default: $GHN4J_CACHE, else $XDG_CACHE_HOME/ghn4j, else ~/.cache/ghn4j)")
  Path cache;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description =
          "fetch every file as <URL>/<file name> instead of from its publisher (default: $GHN4J_MIRROR)")
  URI mirror;

  @Option(names = "--offline", description = "never use the network (default: $GHN4J_OFFLINE=1)")
  boolean offline;

  DownloadSettings settings() {
    DownloadSettings s = DownloadSettings.fromEnvironment();
    if (cache != null) {
      s = s.withCache(cache);
    }
    if (mirror != null) {
      s = s.withMirror(mirror);
    }
    if (offline) {
      s = s.withOffline(true);
    }
    return s;
  }

  Store store() {
    return Store.standard(settings());
  }

  /**
   * {@code --ckpt} as given: an existing file stays as it is; a catalog name ({@code ghn2-cifar10},
   * ...) becomes the verified file, fetched into the cache when needed.
   */
  Path checkpoint(Path ckpt) throws java.io.IOException {
    if (ckpt == null || java.nio.file.Files.exists(ckpt)) {
      return ckpt;
    }
    Store store = store();
    if (!store.catalog().contains(ckpt.toString())) {
      return ckpt;
    }
    Path file = store.get(ckpt.toString());
    System.out.println("GHN " + ckpt + ": " + file + " (verified)");
    return file;
  }
}
