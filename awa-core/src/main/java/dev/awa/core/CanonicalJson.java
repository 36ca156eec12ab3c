package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A canonical text of a JSON value for hashing args into a unique scope: no whitespace, object
 * fields sorted by name, numbers compared by value ({@code 1}, {@code 1.0} and {@code 1e0} are the
 * same number). Two args values that mean the same thing hash the same whichever mapper or field
 * order produced them.
 */
final class CanonicalJson {
  // Exact decimals: two floats that differ beyond double precision must not hash alike.
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private CanonicalJson() {}

  /**
   * SHA-256 (hex) of the canonical text of {@code json}, or of the object made of only {@code
   * fields} of it when {@code fields} is not empty.
   *
   * @throws InvalidJobException when fields are named but the args are not a JSON object
   */
  static String sha256Hex(String json, Set<String> fields) {
    JsonNode node;
    try {
      node = READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("args", "is not valid JSON: " + e.getOriginalMessage());
    }
    if (!fields.isEmpty()) {
      if (!node.isObject()) {
        throw new InvalidJobException(
            "args", "must be a JSON object when the unique scope names arg fields " + fields);
      }
      ObjectNode picked = JsonNodeFactory.instance.objectNode();
      for (String f : fields) {
        if (node.has(f)) {
          picked.set(f, node.get(f));
        }
      }
      node = picked;
    }
    return UniqueClaim.sha256Hex(text(node).getBytes(StandardCharsets.UTF_8));
  }

  /** The canonical text of {@code node}. */
  static String text(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          sorted.put(e.getKey(), e.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(e.getKey(), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> out.append(node.decimalValue().stripTrailingZeros().toString());
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalStateException("not a JSON value: " + node.getNodeType());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
  }
}
