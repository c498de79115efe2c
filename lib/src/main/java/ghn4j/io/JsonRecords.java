package ghn4j.io;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Jackson (de)serialisation of the config records ({@code GhnConfig}, {@code MetaTrainConfig},
 * ...): the record's components are its JSON fields (snake_case through {@code @JsonNaming}), every
 * field is required unless the caller fills a default for files written before it existed, unknown
 * fields are ignored (as the hand-written readers did), and every error is an {@link
 * IllegalArgumentException} that names the config, the field and the problem.
 */
public final class JsonRecords {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  private static final Pattern MISSING =
      Pattern.compile("(?:Missing(?: required)?|Null value for) creator property '([^']+)'");

  private JsonRecords() {}

  /**
   * An enum whose JSON (and command-line) name is its constant's name in lower case ({@code
   * GATEDGNN} is ppuda's {@code "gatedgnn"}); implementations add a {@code @JsonCreator} {@code
   * parse} through {@link #parseName} and a {@code toString} returning {@link #jsonName()}.
   */
  public interface Named {
    /** The enum constant's name. */
    String name();

    /** The name in config files and on the command line. */
    @JsonValue
    default String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@link #parseName(Enum[], Function, String, String)} for {@link Named} enums. */
  public static <E extends Enum<E> & Named> E parseName(E[] values, String field, String name) {
    return parseName(values, Named::jsonName, field, name);
  }

  /** {@code value} as a JSON tree (its {@code @JsonProperty}/{@code @JsonNaming} names). */
  public static ObjectNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * {@code node} as a {@code type}; {@code what} names the config in errors ("GHN config lacks
   * 'max_shape'", "hid must be a positive multiple of 4, got 30").
   */
  public static <T> T read(JsonNode node, Class<T> type, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object, got " + node);
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw problem(e, what);
    }
  }

  /**
   * A copy of {@code node} with {@code defaults} filled in where a field is absent or null: the
   * values of fields that files written before they existed lack.
   */
  public static ObjectNode withDefaults(JsonNode node, ObjectNode defaults, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object, got " + node);
    }
    ObjectNode out = ((ObjectNode) node).deepCopy();
    defaults
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v = out.get(e.getKey());
              if (v == null || v.isNull()) {
                out.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    return out;
  }

  /** A JSON object of {@code fields} (for defaults). */
  public static ObjectNode object(Map<?, ?> fields) {
    return MAPPER.valueToTree(fields);
  }

  /** Reads a JSON file; errors name the file. */
  public static JsonNode readTree(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} as pretty-printed JSON, atomically. */
  public static void write(Path file, Object value) throws IOException {
    byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  /**
   * The constant of {@code values} whose JSON name is {@code name}; the error names {@code field}
   * and lists the allowed names (for enums that keep ppuda's JSON names).
   */
  public static <E extends Enum<E>> E parseName(
      E[] values, Function<E, String> jsonName, String field, String name) {
    for (E v : values) {
      if (jsonName.apply(v).equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        field
            + " must be one of "
            + Stream.of(values).map(jsonName).collect(Collectors.joining(", "))
            + ", got '"
            + name
            + "'");
  }

  private static IllegalArgumentException problem(Exception e, String what) {
    // the record's own validation (or an enum's name check) already names the field
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && !(t instanceof JsonProcessingException)) {
        return new IllegalArgumentException(t.getMessage(), e);
      }
    }
    String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String where = e instanceof JsonMappingException m ? path(m) : "";
    Matcher missing = MISSING.matcher(msg == null ? "" : msg);
    if (missing.find()) {
      String field = missing.group(1);
      String parents =
          where.endsWith(field + ".")
              ? where.substring(0, where.length() - field.length() - 1)
              : where;
      return new IllegalArgumentException(what + " lacks '" + parents + field + "'", e);
    }
    if (msg != null && msg.startsWith("Cannot map `null`") && !where.isEmpty()) {
      // null for a primitive: as absent (the hand-written readers treated null as missing)
      return new IllegalArgumentException(
          what + " lacks '" + where.substring(0, where.length() - 1) + "'", e);
    }
    return new IllegalArgumentException(
        what
            + (where.isEmpty() ? "" : " field '" + where.replaceAll("\\.$", "") + "'")
            + ": "
            + msg,
        e);
  }

  /** The dotted path of the failing field's parents ("ghn." for a field of the nested GHN). */
  private static String path(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(r.getFieldName()).append('.');
      } else if (r.getIndex() >= 0) {
        sb.append(r.getIndex()).append('.');
      }
    }
    return sb.toString();
  }
}
