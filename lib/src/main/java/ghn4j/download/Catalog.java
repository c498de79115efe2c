package ghn4j.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named published files ghn4j knows: ppuda's GHN checkpoints, ghn4j's released checkpoint and
 * the official DeepNets-1M files, with where each is published and the digest it must have. The
 * standard catalog is the resource {@code ghn4j/download/catalog.json} (the one table of names,
 * URLs, sizes and checksums); tests build their own.
 */
public final class Catalog {

  /** What an entry is, and the cache folder it goes to. */
  public enum Kind {
    /** a GHN checkpoint ({@code Ghn.load} reads it) */
    GHN("ghn", "checkpoints"),
    /** a GHN-3 checkpoint ({@code Ghn3.load} reads it) */
    GHN3("ghn3", "checkpoints"),
    /** a DeepNets-1M file (HDF5 graphs or the meta-data archive) */
    DEEPNETS1M("deepnets1m", "deepnets1m");

    private final String jsonName;
    private final String folder;

    Kind(String jsonName, String folder) {
      this.jsonName = jsonName;
      this.folder = folder;
    }

    /** Its folder in the cache. */
    public String folder() {
      return folder;
    }

    static Kind of(String name, String where) {
      for (Kind k : values()) {
        if (k.jsonName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          where + ": unknown kind '" + name + "' (ghn, ghn3, deepnets1m)");
    }
  }

  /**
   * One name of the catalog.
   *
   * @param name what users type ({@code ghn2-cifar10})
   * @param kind GHN checkpoint or DeepNets-1M file
   * @param description one line: what it is
   * @param files its files; the first is the one to open (a ghn4j checkpoint's {@code .json} config
   *     follows it)
   */
  public record Entry(String name, Kind kind, String description, List<RemoteFile> files) {
    public Entry {
      if (files == null || files.isEmpty()) {
        throw new IllegalArgumentException(name + ": no files");
      }
      files = List.copyOf(files);
    }

    /** The file to open. */
    public RemoteFile main() {
      return files.get(0);
    }

    /** Where it comes from, for a listing: the publisher's host, or the ghn4j repository. */
    public String source() {
      RemoteFile f = main();
      if (f.url() == null) {
        return "ghn4j repository";
      }
      String host = f.url().getHost();
      if (f.hubSha256() && host != null) {
        String[] seg = f.url().getPath().split("/");
        return seg.length > 2 ? host + "/" + seg[1] + "/" + seg[2] : host;
      }
      return host != null && host.equals("raw.githubusercontent.com")
          ? "github.com/" + f.url().getPath().split("/")[1] + "/" + f.url().getPath().split("/")[2]
          : host != null ? host : f.url().toString();
    }
  }

  private final Map<String, Entry> entries;

  private Catalog(List<Entry> list) {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : list) {
      if (m.put(e.name(), e) != null) {
        throw new IllegalArgumentException("catalog: name '" + e.name() + "' appears twice");
      }
    }
    entries = m;
  }

  public static Catalog of(List<Entry> entries) {
    return new Catalog(entries);
  }

  /** The catalog shipped with ghn4j. */
  public static Catalog standard() {
    String resource = "/ghn4j/download/catalog.json";
    try (InputStream in = Catalog.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the classpath");
      }
      return read(new ObjectMapper().readTree(in), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a catalog: {@code {"entries": [{name, kind, description, files: [{file, url | repo_path,
   * size?, approx_size?, md5 | git_blob_sha1 | sha256 | hub_sha256: true}]}]}}.
   */
  public static Catalog read(JsonNode root, String where) {
    JsonNode list = root.get("entries");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(where + ": no 'entries' list");
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      String at = where + ": entries[" + i + "]";
      String name = text(e, "name", at);
      JsonNode files = e.get("files");
      if (files == null || !files.isArray()) {
        throw new IllegalArgumentException(at + " (" + name + "): no 'files' list");
      }
      List<RemoteFile> fs = new ArrayList<>();
      for (int j = 0; j < files.size(); j++) {
        JsonNode f = files.get(j);
        String fat = at + ".files[" + j + "]";
        Checksum sum = null;
        for (Checksum.Algorithm a : Checksum.Algorithm.values()) {
          if (f.hasNonNull(a.field())) {
            sum = new Checksum(a, f.get(a.field()).asText());
          }
        }
        boolean hub = f.path("hub_sha256").asBoolean(false);
        if (hub) {
          if (sum != null || !f.hasNonNull("url")) {
            throw new IllegalArgumentException(
                fat + ": 'hub_sha256' files need a 'url' and no fixed checksum");
          }
          fs.add(
              RemoteFile.onHub(
                  text(f, "file", fat),
                  URI.create(f.get("url").asText()),
                  f.hasNonNull("approx_size") ? f.get("approx_size").asText() : null));
          continue;
        }
        if (sum == null) {
          throw new IllegalArgumentException(
              fat + ": no checksum (md5, git_blob_sha1, sha256 or hub_sha256)");
        }
        fs.add(
            new RemoteFile(
                text(f, "file", fat),
                f.hasNonNull("url") ? URI.create(f.get("url").asText()) : null,
                f.hasNonNull("repo_path") ? f.get("repo_path").asText() : null,
                f.path("size").asLong(-1),
                f.hasNonNull("approx_size") ? f.get("approx_size").asText() : null,
                sum));
      }
      out.add(
          new Entry(name, Kind.of(text(e, "kind", at), at), e.path("description").asText(""), fs));
    }
    return new Catalog(out);
  }

  /** Every entry, in catalog order. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entries of one kind. */
  public List<Entry> entries(Kind kind) {
    return entries.values().stream().filter(e -> e.kind() == kind).toList();
  }

  /** The entry called {@code name}; an unknown name lists the known ones. */
  public Entry get(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown name '" + name + "'; known: " + String.join(", ", entries.keySet()));
    }
    return e;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": missing '" + field + "'");
    }
    return v.asText();
  }
}
