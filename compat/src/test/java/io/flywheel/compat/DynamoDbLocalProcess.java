package io.flywheel.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) in a child JVM: {@code -inMemory -sharedDb}
 * on a free loopback port, on the classpath that {@code compat/dynamodb-local} resolved at build
 * time. A separate JVM keeps its Jetty, Guava, Jackson and AWS SDK versions away from ours.
 *
 * <p>Version 2.6.1 needs no {@code sqlite4java.library.path}: it extracts the sqlite4java native
 * library bundled in its own jar into {@code java.io.tmpdir} (and deletes it on exit), so the only
 * thing it needs is a writable temporary directory, which is put under {@code target/}.
 */
final class DynamoDbLocalProcess implements AutoCloseable {
  private static final String MAIN_CLASS = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int START_ATTEMPTS_MAX = 3;

  private final Process process;
  private final int port;
  private final Path log;

  private DynamoDbLocalProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts DynamoDB Local; retries on another port if the chosen one was taken meanwhile. */
  static DynamoDbLocalProcess start() throws IOException, InterruptedException {
    Path classpathFile = Path.of(requiredProperty("dynamodbLocal.classpathFile"));
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException("DynamoDB Local classpath not found: " + classpathFile
          + " (build compat/dynamodb-local first, e.g. run the suite through Maven)");
    }
    String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
    Path tmpDir = Path.of(requiredProperty("dynamodbLocal.tmpDir"));
    Files.createDirectories(tmpDir);
    IllegalStateException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
      int port = freePort();
      Path log = tmpDir.resolve("dynamodb-local-" + port + ".log");
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command = List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
          "-Djava.io.tmpdir=" + tmpDir, "-cp", classpath, MAIN_CLASS,
          "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port));
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      DynamoDbLocalProcess started = new DynamoDbLocalProcess(process, port, log);
      try {
        started.awaitListening();
        return started;
      } catch (IllegalStateException e) {
        started.close();
        failure = e;
      }
    }
    throw failure;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("DynamoDB Local exited with " + process.exitValue() + ":\n" + logText());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("DynamoDB Local did not listen on " + port + " within 60 s:\n" + logText());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("system property " + name + " is not set (run the suite through Maven)");
    }
    return value;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
