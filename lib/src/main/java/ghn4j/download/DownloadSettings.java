package ghn4j.download;

import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How files are fetched and where they are kept.
 *
 * @param cache the cache directory: {@code $GHN4J_CACHE}, else {@code $XDG_CACHE_HOME/ghn4j}, else
 *     {@code ~/.cache/ghn4j}
 * @param mirror when set ({@code GHN4J_MIRROR} or {@code --mirror}), every file is fetched as
 *     {@code <mirror>/<file name>} instead of from its publisher; null otherwise
 * @param offline never use the network ({@code GHN4J_OFFLINE=1}): a missing file is an error
 *     telling where to get it
 * @param proxies the proxy selector; by default the JVM's ({@code -Dhttps.proxyHost=...}, {@code
 *     -Djava.net.useSystemProxies=true})
 * @param connectTimeout time allowed to open a connection
 * @param readTimeout longest silence of a connection before the download counts as interrupted
 *     (resumable)
 * @param progress draw a progress bar (size, rate) on stderr
 */
public record DownloadSettings(
    Path cache,
    URI mirror,
    boolean offline,
    ProxySelector proxies,
    Duration connectTimeout,
    Duration readTimeout,
    boolean progress) {

  public static final String CACHE_ENV = "GHN4J_CACHE";
  public static final String MIRROR_ENV = "GHN4J_MIRROR";
  public static final String OFFLINE_ENV = "GHN4J_OFFLINE";

  public DownloadSettings {
    if (cache == null) {
      throw new IllegalArgumentException("no cache directory");
    }
    if (mirror != null && !mirror.isAbsolute()) {
      throw new IllegalArgumentException(
          "mirror must be an absolute URL (http://host/path), got '" + mirror + "'");
    }
  }

  /**
   * The settings of this process: the environment variables above, each overridable by a system
   * property ({@code ghn4j.cache}, {@code ghn4j.mirror}, {@code ghn4j.offline}, e.g. from a
   * notebook), the JVM's proxies, 30 s to connect, 2 min of silence, a progress bar.
   */
  public static DownloadSettings fromEnvironment() {
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    put(env, CACHE_ENV, System.getProperty("ghn4j.cache"));
    put(env, MIRROR_ENV, System.getProperty("ghn4j.mirror"));
    put(env, OFFLINE_ENV, System.getProperty("ghn4j.offline"));
    return fromEnvironment(env, System.getProperty("user.home"));
  }

  /** As {@link #fromEnvironment()} with the given variables and home directory. */
  public static DownloadSettings fromEnvironment(Map<String, String> env, String home) {
    String mirror = blankToNull(env.get(MIRROR_ENV));
    String offline = blankToNull(env.get(OFFLINE_ENV));
    return new DownloadSettings(
        defaultCache(env, home),
        mirror == null ? null : mirrorUri(mirror),
        offline != null && !offline.equals("0") && !offline.equalsIgnoreCase("false"),
        ProxySelector.getDefault(),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        true);
  }

  /** {@code $GHN4J_CACHE}, else {@code $XDG_CACHE_HOME/ghn4j}, else {@code <home>/.cache/ghn4j}. */
  public static Path defaultCache(Map<String, String> env, String home) {
    String own = blankToNull(env.get(CACHE_ENV));
    if (own != null) {
      return Path.of(own);
    }
    String xdg = blankToNull(env.get("XDG_CACHE_HOME"));
    return xdg != null ? Path.of(xdg, "ghn4j") : Path.of(home, ".cache", "ghn4j");
  }

  /** A mirror base URL from text (a trailing slash is optional). */
  public static URI mirrorUri(String base) {
    String b = base.trim();
    return URI.create(b.endsWith("/") ? b : b + "/");
  }

  public DownloadSettings withCache(Path dir) {
    return new DownloadSettings(
        dir, mirror, offline, proxies, connectTimeout, readTimeout, progress);
  }

  public DownloadSettings withMirror(URI base) {
    return new DownloadSettings(
        cache,
        base == null ? null : mirrorUri(base.toString()),
        offline,
        proxies,
        connectTimeout,
        readTimeout,
        progress);
  }

  public DownloadSettings withOffline(boolean off) {
    return new DownloadSettings(cache, mirror, off, proxies, connectTimeout, readTimeout, progress);
  }

  public DownloadSettings withProxies(ProxySelector selector) {
    return new DownloadSettings(
        cache, mirror, offline, selector, connectTimeout, readTimeout, progress);
  }

  public DownloadSettings withTimeouts(Duration connect, Duration read) {
    return new DownloadSettings(cache, mirror, offline, proxies, connect, read, progress);
  }

  public DownloadSettings withProgress(boolean bar) {
    return new DownloadSettings(cache, mirror, offline, proxies, connectTimeout, readTimeout, bar);
  }

  /**
   * Where {@code file} is fetched from: the mirror when one is set, else its publisher (null if it
   * has none).
   */
  public URI source(RemoteFile file) {
    return mirror != null ? mirror.resolve(file.name()) : file.url();
  }

  private static void put(Map<String, String> env, String key, String value) {
    if (value != null && !value.isBlank()) {
      env.put(key, value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
