package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The README's quick start as a new user pastes it: its Java block compiles against the built
 * modules and runs against a real database, and its dependency block imports the BOM of this build,
 * names only modules the BOM manages, and pins third-party versions this build uses. So the README
 * cannot rot when an API or a version changes.
 */
@AwaTest
class ReadmeQuickStartTest {
  private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void quickStartJavaCompilesAndRunsAgainstARealDatabase(TestDatabase db, @TempDir Path dir)
      throws Exception {
    List<String> java = blocks("java");
    assertThat(java).as("one complete Java file in the quick start").hasSize(1);
    String source = java.get(0);
    Matcher pkg = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(source);
    Matcher cls = Pattern.compile("^public class (\\w+)", Pattern.MULTILINE).matcher(source);
    assertThat(pkg.find() && cls.find()).as("package and public class in:%n%s", source).isTrue();
    Path file = dir.resolve(pkg.group(1).replace('.', '/')).resolve(cls.group(1) + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status =
        javac.run(
            new ByteArrayInputStream(new byte[0]),
            diagnostics,
            diagnostics,
            "--release",
            "17",
            // Every warning fails, except about the test classpath's own entries.
            "-Xlint:all,-path,-processing",
            "-Werror",
            "-proc:none",
            "-classpath",
            testRuntimePath(),
            "-d",
            dir.resolve("classes").toString(),
            file.toString());
    assertThat(status).as("javac on the README's quick start:%n%s", diagnostics).isZero();

    // Run it: main returns once both jobs ran (or after its one-minute wait).
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader())) {
      Method main =
          loader.loadClass(pkg.group(1) + "." + cls.group(1)).getMethod("main", String[].class);
      main.invoke(null, (Object) new String[] {Cli.url(db)});
    }
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE kind = 'send_email' AND state = 'completed'"))
        .as("both quick-start jobs completed")
        .isEqualTo(2);
  }

  @Test
  void quickStartDependenciesComeThroughTheBomOfThisBuild() throws Exception {
    List<String> xml = blocks("xml");
    assertThat(xml).as("the quick start's dependency block").hasSize(1);
    Document readme = PomFiles.parse("<project>" + xml.get(0) + "</project>");
    Document bom = PomFiles.parse(Files.readString(PomFiles.root().resolve("awa-bom/pom.xml")));
    Document parent = PomFiles.parse(Files.readString(PomFiles.root().resolve("pom.xml")));
    String version = PomFiles.text(parent.getDocumentElement(), "version");

    List<Map<String, String>> imports = PomFiles.dependencies(readme, "dependencyManagement");
    assertThat(imports)
        .containsExactly(
            Map.of(
                "groupId", "dev.awa",
                "artifactId", "awa-bom",
                "version", version,
                "type", "pom",
                "scope", "import"));

    List<String> managed = new ArrayList<>();
    for (Map<String, String> d : PomFiles.dependencies(bom, "dependencyManagement")) {
      managed.add(d.get("artifactId"));
    }
    List<String> awaModules = new ArrayList<>();
    for (Map<String, String> d : PomFiles.dependencies(readme, "project")) {
      if (d.get("groupId").equals("dev.awa")) {
        assertThat(d).as("versions come from the BOM").doesNotContainKey("version");
        awaModules.add(d.get("artifactId"));
      } else {
        // Third-party versions the README names are the ones this build is tested with.
        String property =
            switch (d.get("artifactId")) {
              case "HikariCP" -> "hikaricp.version";
              case "slf4j-simple" -> "slf4j.version";
              default -> throw new AssertionError("unexpected README dependency " + d);
            };
        assertThat(d.get("version"))
            .as(d.get("artifactId"))
            .isEqualTo(PomFiles.text(parent.getDocumentElement(), property));
      }
    }
    assertThat(awaModules).containsExactly("awa-core", "awa-maintenance");
    assertThat(managed).containsAll(awaModules);
    assertThat(blocks("xml").get(0)).contains("slf4j-simple");
  }

  /** The fenced blocks of {@code language} in README.md's "Quick start" section. */
  private static List<String> blocks(String language) throws IOException {
    String readme = Files.readString(PomFiles.root().resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Quick start\n");
    assertThat(start).as("README has a Quick start section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> out = new ArrayList<>();
    Matcher m = FENCE.matcher(section);
    while (m.find()) {
      if (m.group(1).equals(language)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /**
   * What a user's build would put on the class path: this test JVM's class path plus its module
   * path (surefire runs awa-cli's tests on the module path, where the awa jars and their
   * dependencies sit).
   */
  private static String testRuntimePath() {
    String modulePath = System.getProperty("jdk.module.path");
    String classPath = System.getProperty("java.class.path");
    return modulePath == null || modulePath.isEmpty()
        ? classPath
        : classPath + File.pathSeparator + modulePath;
  }
}
