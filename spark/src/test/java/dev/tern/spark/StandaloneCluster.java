package dev.tern.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback: a Master and Workers of one core each, every one a
 * JVM of its own started from this JVM's class path (Spark from Maven Central, no Spark
 * distribution). A Worker launches executor JVMs only from a Spark home, so the cluster fakes
 * one: a folder with a {@code RELEASE} file and {@code jars/} linking the class path's jars.
 * Executors get the class path's folders (this build's classes) as extra class path.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final List<String> JVM_OPTIONS =
            Arrays.asList(System.getProperty("tern.spark.jvmOptions", "").trim().split("\\s+"));

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final String masterUrl;

    private StandaloneCluster(Path home, String masterUrl) {
        this.home = home;
        this.masterUrl = masterUrl;
    }

    /** Starts a Master and {@code workers} Workers, the logs of each in {@code folder}. */
    static StandaloneCluster start(Path folder, int workers) throws IOException {
        Path home = fakeSparkHome(folder.resolve("spark-home"));
        int port = freePort();
        StandaloneCluster cluster = new StandaloneCluster(home, "spark://127.0.0.1:" + port);
        try {
            cluster.launch(folder, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
            // A driver gives up on a Master it cannot reach within a minute; a loaded machine can take that long to start one.
            cluster.awaitMaster(port, folder.resolve("master.log"));
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(folder.resolve("worker-" + i));
                cluster.launch(folder, "worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0",
                        "--work-dir", work.toString(), cluster.masterUrl);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitMaster(int port, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !processes.get(0).isAlive()) {
                    throw new IOException("the Master did not listen on port " + port + "; its log: " + log, notYet);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for the Master", e);
                }
            }
        }
    }

    String masterUrl() {
        return masterUrl;
    }

    /** The class path's folders, which executors need besides the jars in the Spark home. */
    static String classFolders() {
        return String.join(File.pathSeparator, Arrays.stream(classPath()).filter(e -> !e.endsWith(".jar")).toList());
    }

    /** The JVM options every Spark JVM needs on JDK 17, as one string. */
    static String jvmOptions() {
        return String.join(" ", JVM_OPTIONS);
    }

    private void launch(Path folder, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        processes.add(builder.start());
    }

    private static Path fakeSparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark from the Maven class path, for Tern's tests\n");
        for (String entry : classPath()) {
            Path jar = Path.of(entry);
            Path link = jars.resolve(jar.getFileName());
            if (entry.endsWith(".jar") && Files.notExists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        return home;
    }

    private static String[] classPath() {
        return System.getProperty("java.class.path").split(File.pathSeparator);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every JVM of the cluster (the Workers stop their executors) and removes the fake
     * Spark home's links, which would otherwise each draw a warning from JUnit's clean-up.
     */
    @Override
    public void close() {
        // Workers first, so that none sees its Master go and tries to reconnect.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try (var links = Files.list(home.resolve("jars"))) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the links in " + home, e);
        }
    }
}
