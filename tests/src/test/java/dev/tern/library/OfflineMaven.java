package dev.tern.library;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Maven offline on another project, with the Maven installation, JDK, settings and local
 * repository of the build running this test, so that project resolves nothing this build has
 * not already brought into the local repository.
 */
final class OfflineMaven {
    private static final Duration TIME_LIMIT = Duration.ofMinutes(5);

    private final Path executable;
    private final List<String> options;

    private OfflineMaven(Path executable, List<String> options) {
        this.executable = executable;
        this.options = options;
    }

    /** Maven as this build runs it, on {@code localRepository}. */
    static OfflineMaven likeThisBuild(Path localRepository) {
        List<String> options = new ArrayList<>(List.of("--offline", "--batch-mode", "--no-transfer-progress",
                "-Dmaven.repo.local=" + localRepository));
        // Settings may name mirrors, and the local repository records each artifact under the id
        // of the repository it came from: without the same settings, offline resolution misses it.
        existingFile("tern.maven.userSettings").ifPresent(file -> options.addAll(List.of("--settings", file)));
        existingFile("tern.maven.globalSettings").ifPresent(file -> options.addAll(List.of("--global-settings", file)));
        return new OfflineMaven(findExecutable(), List.copyOf(options));
    }

    /**
     * Runs {@code goals} on the project in {@code projectDirectory} with {@code properties} as
     * {@code -D} options, writing Maven's output to {@code log}.
     *
     * @throws IllegalStateException if Maven runs past the time limit (it is then killed)
     */
    Result run(Path projectDirectory, Map<String, String> properties, Path log, String... goals)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(options);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of(goals));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process maven = builder.start();
        if (!maven.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            throw new IllegalStateException("Maven ran past " + TIME_LIMIT + " on " + projectDirectory
                    + " and was killed: " + String.join(" ", command) + "\n" + tail(log));
        }
        return new Result(maven.exitValue(), log);
    }

    /**
     * How a Maven run ended.
     *
     * @param exitCode Maven's exit code, 0 when the build succeeded
     * @param log the file holding Maven's output
     */
    record Result(int exitCode, Path log) {
        /** The end of Maven's output, for a failure message. */
        String outputTail() {
            return tail(log);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(Maven's output in " + log + " cannot be read: " + e + ")";
        }
    }

    private static Optional<String> existingFile(String property) {
        return Optional.ofNullable(System.getProperty(property)).filter(path -> Files.isRegularFile(Path.of(path)));
    }

    /** bin/mvn of the Maven running this build, else the first mvn on the PATH. */
    private static Path findExecutable() {
        String mavenHome = System.getProperty("maven.home", "");
        Optional<Path> fromHome = mavenHome.isBlank() ? Optional.empty()
                : Optional.of(Path.of(mavenHome, "bin", "mvn")).filter(Files::isExecutable);
        String path = System.getenv().getOrDefault("PATH", "");
        return fromHome.or(() -> Stream.of(path.split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty())
                        .map(dir -> Path.of(dir, "mvn"))
                        .filter(Files::isExecutable)
                        .findFirst())
                .orElseThrow(() -> new IllegalStateException("no Maven to run: maven.home is '" + mavenHome
                        + "' and no mvn is on the PATH (" + path + ")"));
    }
}
