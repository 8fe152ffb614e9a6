package io.careloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmarks leave their figures: printed, and written to {@code target/bench/<file>}. */
final class BenchResults {
  private BenchResults() {}

  static void publish(String file, CharSequence report) throws IOException {
    System.out.print(report);
    Path out = Path.of("target", "bench");
    Files.createDirectories(out);
    Files.writeString(out.resolve(file), report.toString());
  }
}
