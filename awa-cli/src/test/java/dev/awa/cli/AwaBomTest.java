package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * awa-bom stays complete and in step: it manages every published module of the build (a jar module
 * that does not set {@code maven.javadoc.skip}, the mark of a tool), at the build's version, and
 * nothing else.
 */
class AwaBomTest {

  @Test
  void bomManagesEveryPublishedModuleAtTheBuildVersion() throws Exception {
    Path root = PomFiles.root();
    Document parent = PomFiles.parse(Files.readString(root.resolve("pom.xml")));
    Document bom = PomFiles.parse(Files.readString(root.resolve("awa-bom/pom.xml")));
    String version = PomFiles.text(parent.getDocumentElement(), "version");
    assertThat(PomFiles.text(bom.getDocumentElement(), "version")).isEqualTo(version);
    assertThat(PomFiles.children(bom.getDocumentElement(), "parent"))
        .as("no parent: its dependencyManagement would reach users' builds")
        .isEmpty();

    List<String> published = new ArrayList<>();
    Element modules = PomFiles.children(parent.getDocumentElement(), "modules").get(0);
    for (Element module : PomFiles.children(modules, "module")) {
      Document pom =
          PomFiles.parse(
              Files.readString(root.resolve(module.getTextContent().strip()).resolve("pom.xml")));
      Element project = pom.getDocumentElement();
      boolean pomPackaging =
          PomFiles.children(project, "packaging").stream()
              .anyMatch(p -> p.getTextContent().strip().equals("pom"));
      boolean tool =
          PomFiles.children(project, "properties").stream()
              .flatMap(p -> PomFiles.children(p, "maven.javadoc.skip").stream())
              .anyMatch(p -> p.getTextContent().strip().equals("true"));
      if (!pomPackaging && !tool) {
        published.add(PomFiles.text(project, "artifactId"));
      }
    }
    assertThat(published).contains("awa-core", "awa-maintenance", "awa-metrics", "awa-testing");

    List<Map<String, String>> managed = PomFiles.dependencies(bom, "dependencyManagement");
    assertThat(managed)
        .allSatisfy(
            d -> {
              assertThat(d.get("groupId")).isEqualTo("dev.awa");
              assertThat(d.get("version")).isEqualTo("${project.version}");
            });
    assertThat(managed.stream().map(d -> d.get("artifactId")))
        .containsExactlyInAnyOrderElementsOf(published);
  }
}
