package io.careloop.it;

import io.careloop.support.Eventually;
import io.careloop.support.Harness;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The built {@code careloop.jar} as a child process, as an operator runs it. */
final class CareLoopProcess {
  final int port;
  final Path dataDir;
  final Map<String, String> env;
  final Path log;
  final java.util.List<String> jvmArgs = new java.util.ArrayList<>();
  Process process;

  CareLoopProcess(Path dataDir, Map<String, String> extraEnv) throws IOException {
    this.port = freePort();
    this.dataDir = dataDir;
    this.log = logFile();
    this.env = new HashMap<>(Map.of(
      "CARELOOP_HTTP_PORT", String.valueOf(port),
      "CARELOOP_DATA_DIR", dataDir.toString(),
      "CARELOOP_ADMIN_PASSWORD", Harness.ADMIN_PASSWORD,
      "CARELOOP_POLL_SECONDS", "1",
      // The demo's past month is its own test (DemoHistoryIT); the others start from an empty database.
      "CARELOOP_DEMO_HISTORY", "false"));
    this.env.putAll(extraEnv);
  }

  private static Path logFile() throws IOException {
    Path dir = Path.of("target", "it-logs");
    java.nio.file.Files.createDirectories(dir);
    return dir.resolve("careloop-" + System.nanoTime() + ".log");
  }

  static String jar() {
    String jar = System.getProperty("careloop.jar", "target/careloop.jar");
    if (!new File(jar).isFile()) throw new IllegalStateException("build the jar first (mvn package): " + jar);
    return jar;
  }

  void start() throws Exception {
    launch();
    waitReady(Duration.ofSeconds(60));
  }

  /** Starts the process without waiting for it to be ready (several cluster nodes start side by side). */
  void launch() throws IOException {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar());
    ProcessBuilder pb = new ProcessBuilder(command)
      .redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("CARELOOP_"));
    pb.environment().putAll(env);
    process = pb.start();
  }

  void waitReady(Duration timeout) {
    try {
      io.careloop.support.Eventually.eventually("CareLoop ready; see " + log, timeout, () -> {
        if (!process.isAlive()) throw new IllegalStateException("CareLoop exited with " + process.exitValue() + "; see " + log);
        try {
          HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health/ready").toURL().openConnection();
          c.setConnectTimeout(500);
          c.setReadTimeout(1000);
          return c.getResponseCode() == 200;
        } catch (IOException notYet) {
          return false; // not listening yet
        }
      });
    } catch (AssertionError notReady) {
      throw new IllegalStateException(notReady.getMessage());
    }
  }

  /** kill -9: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Sends a signal to the process ({@code STOP} freezes it, {@code CONT} resumes it). */
  void signal(String name) throws Exception {
    int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (exit != 0) throw new IllegalStateException("kill -" + name + " failed: " + exit);
  }

  /** SIGTERM: the graceful path. */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  /** Resident memory now and at its peak (VmRSS, VmHWM from /proc), in MiB. */
  long[] residentMiB() throws IOException {
    long rss = 0, peak = 0;
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      if (line.startsWith("VmHWM:")) peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
    }
    return new long[] {rss, peak};
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
