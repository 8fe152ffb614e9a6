package io.careloop.web;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP is the web layer's business: only {@code io.careloop.web} (and the wiring, {@code CareLoopVerticle} and
 * {@code Main}) may speak it. A domain package that names an HTTP class or the web layer is deciding statuses; the
 * errors package is plain Java. A plain scan of the sources, so it needs nothing built but itself.
 */
@DisplayName("Only the web layer speaks HTTP")
class LayeringTest {
  static final Path MAIN = Path.of("src/main/java/io/careloop");

  /** What a class outside the web layer must not name, in an import or written out in full. */
  static final List<String> HTTP = List.of("io.vertx.core.http", "io.vertx.ext.web", "io.netty.handler.codec.http", "io.careloop.web");

  /** An HTTP status handed to a constructor or a call ({@code new Problem(422, ...}, {@code m.fail(503, ...}). */
  static final Pattern STATUS_ARGUMENT = Pattern.compile("\\w+\\(\\s*[45]\\d\\d\\s*,");

  /** The X stand-in is an HTTP server playing X for demos and tests: its HTTP is X's, not CareLoop's. */
  static boolean exempt(Path file) {
    Path rel = MAIN.relativize(file);
    return rel.startsWith("web") || rel.startsWith(Path.of("x", "standin"))
      || rel.equals(Path.of("CareLoopVerticle.java")) || rel.equals(Path.of("Main.java"));
  }

  static List<Path> sources() throws IOException {
    assertTrue(Files.isDirectory(MAIN), "run from the project folder: " + MAIN.toAbsolutePath());
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  @DisplayName("No class outside io.careloop.web names HTTP or the web layer, or hands on a status")
  void domainSpeaksNoHttp() throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> all = sources();
    assertTrue(all.size() > 100, "the scan sees the sources");
    for (Path file : all) {
      if (exempt(file)) continue;
      String text = Files.readString(file);
      for (String http : HTTP) if (text.contains(http)) found.add(MAIN.relativize(file) + " names " + http);
      Matcher status = STATUS_ARGUMENT.matcher(text);
      while (status.find()) found.add(MAIN.relativize(file) + " passes a status: " + status.group());
    }
    assertEquals(List.of(), found);
  }

  @Test
  @DisplayName("The errors package is plain Java: no Vert.x, and no status in any failure")
  void errorsArePlainJava() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : sources()) {
      if (!MAIN.relativize(file).startsWith("errors")) continue;
      String text = Files.readString(file);
      if (text.contains("io.vertx")) found.add(MAIN.relativize(file) + " uses Vert.x");
      if (text.matches("(?s).*\\b(int|Integer)\\s+(status|httpStatus|statusCode)\\b.*")) found.add(MAIN.relativize(file) + " holds a status");
    }
    assertEquals(List.of(), found);
  }
}
