package io.flywheel.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flywheel server in a child JVM ({@code java -jar flywheel-server.jar start}), on a free
 * port, with its own data directory. Waits for the line that announces the port, so tests start
 * as soon as the server serves.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving the DynamoDB API on http://localhost:(\\d+)");
  /** What a cluster node that is not a router prints once it is up. */
  private static final Pattern NODE_UP = Pattern.compile("Flywheel node \\d+ is up");
  private static final long START_TIMEOUT_SECONDS = 60;

  private final Path dataDir;
  private final List<String> extraArgs;
  /** Null: {@code start} on a free port; else the arguments of a cluster node ({@code node ...}). */
  private final List<String> nodeArgs;
  private Process process;
  private int port;
  private final StringBuffer output = new StringBuffer();

  public ServerProcess(Path dataDir, String... extraArgs) {
    this.dataDir = dataDir;
    this.extraArgs = List.of(extraArgs);
    this.nodeArgs = null;
  }

  private ServerProcess(Path dataDir, List<String> nodeArgs) {
    this.dataDir = dataDir;
    this.extraArgs = List.of();
    this.nodeArgs = nodeArgs;
  }

  /** Node {@code nodeId} of the cluster described by {@code clusterFile} ({@code flywheel node}). */
  public static ServerProcess clusterNode(Path clusterFile, long nodeId, Path dataDir) {
    return new ServerProcess(dataDir, List.of("node", "--config", clusterFile.toString(), "--node-id", Long.toString(nodeId),
        "--data-dir", dataDir.toString(), "--replica-workers", "1", "--io-threads", "2", "--block-cache-mb", "16"));
  }

  public static Path newDataDir(String name) throws IOException {
    Path base = Path.of(System.getProperty("flywheel.testDir", "target/it-data"));
    Files.createDirectories(base);
    return Files.createTempDirectory(base, name + "-");
  }

  public ServerProcess start() throws IOException {
    String jar = System.getProperty("flywheel.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("flywheel.jar not found: " + jar + " (run the build through Maven)");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-jar", jar));
    if (nodeArgs == null) {
      command.addAll(List.of("start", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir.toString(), "--block-cache-mb", "32"));
      command.addAll(extraArgs);
    } else {
      command.addAll(nodeArgs);
    }
    Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    CompletableFuture<Integer> announced = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          log.write(line + "\n");
          log.flush();
          Matcher m = SERVING.matcher(line);
          if (m.find()) {
            announced.complete(Integer.parseInt(m.group(1)));
          } else if (NODE_UP.matcher(line).find()) {
            announced.complete(-1);
          }
        }
      } catch (IOException e) {
        announced.completeExceptionally(e);
      } finally {
        try {
          log.close();
        } catch (IOException ignored) {
          // the log is a debugging aid only
        }
      }
      announced.completeExceptionally(new IllegalStateException("server exited before serving:\n" + output));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      port = announced.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("server did not start: " + e.getMessage() + "\n" + output, e);
    }
    return this;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String output() {
    return output.toString();
  }

  /** Power loss as far as the process can tell: SIGKILL, no shutdown hooks. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Freezes the process (SIGSTOP), as a long GC pause or a stalled VM would; its clocks keep running. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a paused process run again (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** A clean stop (SIGTERM, shutdown hooks run). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
