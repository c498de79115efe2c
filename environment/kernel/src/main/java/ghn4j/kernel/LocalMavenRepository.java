package ghn4j.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Resolves {@code group:artifact:version} coordinates to jar files in a local Maven repository
 * (offline; nothing is downloaded), with the artifact's transitive compile and runtime dependencies
 * read from the poms.
 *
 * <p>A small reader, not Maven: it understands properties (including {@code project.*} and the
 * parent's), parent poms, {@code dependencyManagement} (with {@code import}-scoped BOMs),
 * exclusions and optional dependencies, and picks the nearest version when two paths disagree. A
 * dependency whose pom or version cannot be resolved is skipped with a warning; the requested
 * artifact itself must be present, or {@link #resolve} fails naming the coordinates.
 */
final class LocalMavenRepository {
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  private final Path root;
  private final Map<String, Pom> poms = new HashMap<>();

  LocalMavenRepository(Path root) {
    this.root = root;
  }

  /** The repository Maven would use: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
  static LocalMavenRepository standard() {
    String configured = System.getProperty("maven.repo.local");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    return new LocalMavenRepository(root);
  }

  Path root() {
    return root;
  }

  /** The result: jars in resolution order, and warnings about dependencies left out. */
  record Resolution(List<Path> jars, List<String> warnings) {}

  /**
   * Resolves coordinates {@code group:artifact[:packaging[:classifier]]:version} and their
   * transitive compile/runtime dependencies.
   *
   * @throws IllegalArgumentException if the coordinates are malformed or the artifact's jar is not
   *     in the repository
   */
  Resolution resolve(String coordinates) {
    String[] parts = coordinates.split(":");
    if (parts.length < 3 || parts.length > 5) {
      throw new IllegalArgumentException(
          "bad Maven coordinates '"
              + coordinates
              + "': expected group:artifact:version (or group:artifact:packaging[:classifier]:version)");
    }
    String group = parts[0];
    String artifact = parts[1];
    String version = parts[parts.length - 1];
    String classifier = parts.length == 5 ? parts[3] : null;
    Path jar = jarPath(group, artifact, version, classifier);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          coordinates
              + " is not in the local Maven repository "
              + root
              + " (looked for "
              + jar.getFileName()
              + "; the kernel works offline: fetch it first, e.g. "
              + "mvn dependency:get -Dartifact="
              + coordinates
              + ")");
    }
    List<Path> jars = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    record Todo(
        String group, String artifact, String version, String classifier, Set<String> exclusions) {}
    Deque<Todo> queue = new ArrayDeque<>();
    queue.add(new Todo(group, artifact, version, classifier, Set.of()));
    seen.add(group + ":" + artifact);
    while (!queue.isEmpty()) {
      Todo todo = queue.poll();
      Path file = jarPath(todo.group, todo.artifact, todo.version, todo.classifier);
      if (!Files.isRegularFile(file)) {
        // offline: another version of the same artifact is better than none (Maven would download)
        String other = otherVersion(todo.group, todo.artifact, todo.classifier);
        if (other == null) {
          warnings.add(
              todo.group
                  + ":"
                  + todo.artifact
                  + ":"
                  + todo.version
                  + " not in the local repository, left out");
          continue;
        }
        warnings.add(
            todo.group
                + ":"
                + todo.artifact
                + ":"
                + todo.version
                + " not in the local repository, using "
                + other);
        todo = new Todo(todo.group, todo.artifact, other, todo.classifier, todo.exclusions);
        file = jarPath(todo.group, todo.artifact, todo.version, todo.classifier);
      }
      jars.add(file);
      Pom pom;
      try {
        pom = pom(todo.group, todo.artifact, todo.version);
      } catch (RuntimeException e) {
        warnings.add(
            "pom of "
                + todo.group
                + ":"
                + todo.artifact
                + ":"
                + todo.version
                + " unreadable ("
                + e.getMessage()
                + "), its dependencies left out");
        continue;
      }
      if (pom == null) {
        continue;
      }
      for (Dependency d : pom.dependencies) {
        String key = d.group + ":" + d.artifact;
        boolean usable =
            (d.scope == null || d.scope.equals("compile") || d.scope.equals("runtime"))
                && !d.optional
                && d.type.equals("jar");
        if (!usable
            || todo.exclusions.contains(key)
            || todo.exclusions.contains(d.group + ":*")
            || !seen.add(key)) {
          continue;
        }
        if (d.version == null || d.version.contains("${")) {
          warnings.add(key + ": version unresolved in the pom of " + todo.artifact + ", left out");
          continue;
        }
        Set<String> exclusions = new HashSet<>(todo.exclusions);
        exclusions.addAll(d.exclusions);
        queue.add(new Todo(d.group, d.artifact, d.version, d.classifier, exclusions));
      }
    }
    return new Resolution(jars, warnings);
  }

  /** The highest version of an artifact whose jar is in the repository, or null. */
  private String otherVersion(String group, String artifact, String classifier) {
    Path dir = root.resolve(group.replace('.', '/')).resolve(artifact);
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (var versions = Files.list(dir)) {
      return versions
          .map(p -> p.getFileName().toString())
          .filter(v -> Files.isRegularFile(jarPath(group, artifact, v, classifier)))
          .max(LocalMavenRepository::compareVersions)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Compares versions by their numeric parts (1.10 after 1.9), then as text. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean nx = x[i].matches("\\d{1,9}");
      boolean ny = y[i].matches("\\d{1,9}");
      int c =
          nx && ny
              ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
              : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private Path jarPath(String group, String artifact, String version, String classifier) {
    String name = artifact + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
    return root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(name);
  }

  private record Dependency(
      String group,
      String artifact,
      String version,
      String scope,
      String classifier,
      String type,
      boolean optional,
      Set<String> exclusions) {}

  /** An effective pom, as far as this reader understands it. */
  private record Pom(
      Map<String, String> properties,
      Map<String, Dependency> managed,
      List<Dependency> dependencies) {}

  /** The effective pom, or null if the pom file is missing. */
  private Pom pom(String group, String artifact, String version) {
    String key = group + ":" + artifact + ":" + version;
    if (poms.containsKey(key)) {
      return poms.get(key);
    }
    poms.put(key, null); // guards against parent cycles
    Path file =
        root.resolve(group.replace('.', '/'))
            .resolve(artifact)
            .resolve(version)
            .resolve(artifact + "-" + version + ".pom");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Element project = parse(file);
    Map<String, String> properties = new HashMap<>();
    Map<String, Dependency> managed = new LinkedHashMap<>();
    List<Dependency> inherited = new ArrayList<>();
    Element parent = child(project, "parent");
    if (parent != null) {
      Pom parentPom =
          pom(text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
      if (parentPom != null) {
        properties.putAll(parentPom.properties);
        managed.putAll(parentPom.managed);
        inherited.addAll(parentPom.dependencies);
      }
      properties.put("project.parent.version", text(parent, "version"));
      properties.put("project.parent.groupId", text(parent, "groupId"));
    }
    properties.put("project.groupId", group);
    properties.put("project.artifactId", artifact);
    properties.put("project.version", version);
    properties.put("pom.version", version);
    properties.put("version", version);
    properties.put("groupId", group);
    Element props = child(project, "properties");
    if (props != null) {
      for (Element p : children(props)) {
        properties.put(p.getTagName(), p.getTextContent().trim());
      }
    }
    Element management = child(project, "dependencyManagement");
    if (management != null && child(management, "dependencies") != null) {
      for (Element d : children(child(management, "dependencies"))) {
        Dependency dep = dependency(d, properties, Map.of());
        if ("import".equals(dep.scope) && "pom".equals(dep.type)) {
          Pom bom = dep.version == null ? null : pom(dep.group, dep.artifact, dep.version);
          if (bom != null) {
            bom.managed.forEach(managed::putIfAbsent);
          }
        } else {
          managed.put(dep.group + ":" + dep.artifact, dep);
        }
      }
    }
    List<Dependency> dependencies = new ArrayList<>(inherited);
    Element deps = child(project, "dependencies");
    if (deps != null) {
      for (Element d : children(deps)) {
        dependencies.add(dependency(d, properties, managed));
      }
    }
    Pom pom = new Pom(properties, managed, dependencies);
    poms.put(key, pom);
    return pom;
  }

  private static Dependency dependency(
      Element d, Map<String, String> properties, Map<String, Dependency> managed) {
    String group = interpolate(text(d, "groupId"), properties);
    String artifact = interpolate(text(d, "artifactId"), properties);
    Dependency m = managed.get(group + ":" + artifact);
    String version = interpolate(text(d, "version"), properties);
    String scope = interpolate(text(d, "scope"), properties);
    if (m != null) {
      version = version != null ? version : m.version;
      scope = scope != null ? scope : m.scope;
    }
    String type = text(d, "type");
    Set<String> exclusions = new HashSet<>();
    Element ex = child(d, "exclusions");
    if (ex != null) {
      for (Element e : children(ex)) {
        exclusions.add(text(e, "groupId") + ":" + text(e, "artifactId"));
      }
    }
    if (m != null) {
      exclusions.addAll(m.exclusions);
    }
    return new Dependency(
        group,
        artifact,
        version,
        scope,
        interpolate(text(d, "classifier"), properties),
        type == null ? "jar" : type,
        "true".equals(text(d, "optional")),
        exclusions);
  }

  private static String interpolate(String value, Map<String, String> properties) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < 10 && value.contains("${"); i++) {
      Matcher m = PROPERTY.matcher(value);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement = properties.get(m.group(1));
        m.appendReplacement(
            out, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
      }
      m.appendTail(out);
      if (out.toString().equals(value)) {
        break;
      }
      value = out.toString();
    }
    return value;
  }

  private static Element parse(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      factory.setExpandEntityReferences(false);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(file.toFile());
      return doc.getDocumentElement();
    } catch (IOException
        | javax.xml.parsers.ParserConfigurationException
        | org.xml.sax.SAXException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }
}
