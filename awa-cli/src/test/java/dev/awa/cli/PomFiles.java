package dev.awa.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads the repository's POMs and README for the tests that keep them consistent. */
final class PomFiles {
  private PomFiles() {}

  /** The repository root: the nearest directory up from the module holding README.md. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("awa-bom"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "repository root not found from " + Path.of("").toAbsolutePath());
  }

  static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** The dependencies directly under the first {@code <under>} element (or the root). */
  static List<Map<String, String>> dependencies(Document doc, String under) {
    Element container =
        under.equals(doc.getDocumentElement().getTagName())
            ? doc.getDocumentElement()
            : (Element) doc.getElementsByTagName(under).item(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (Element deps : children(container, "dependencies")) {
      for (Element d : children(deps, "dependency")) {
        Map<String, String> fields = new LinkedHashMap<>();
        NodeList nodes = d.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
          if (nodes.item(i) instanceof Element e) {
            fields.put(e.getTagName(), e.getTextContent().strip());
          }
        }
        out.add(fields);
      }
    }
    return out;
  }

  /** The text of the first direct child {@code name} of {@code e}, or of the properties entry. */
  static String text(Element e, String name) {
    for (Element child : children(e, name)) {
      return child.getTextContent().strip();
    }
    for (Element props : children(e, "properties")) {
      for (Element child : children(props, name)) {
        return child.getTextContent().strip();
      }
    }
    throw new AssertionError("no <" + name + "> in <" + e.getTagName() + ">");
  }

  static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element child && child.getTagName().equals(name)) {
        out.add(child);
      }
    }
    return out;
  }
}
