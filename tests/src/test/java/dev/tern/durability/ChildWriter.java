package dev.tern.durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RepeatedWriter} in a child JVM: the {@code java} of this JVM with this JVM's class
 * path, passed through an argument file (a long {@code -cp} on the command line is avoided). Its
 * output, standard error included, goes to a file, which keeps every line the child wrote up to
 * the moment it was killed (a pipe read by this JVM could lose the last ones when the child dies).
 */
final class ChildWriter implements AutoCloseable {
    private static final String WROTE = "wrote ";

    private final Process process;
    private final Path output;

    private ChildWriter(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts a child writing versions of {@code kind} over {@code target}; its argument file and
     * output go into {@code workFolder}.
     */
    static ChildWriter start(WrittenFile kind, Path target, Path workFolder) throws IOException {
        Path argumentFile = workFolder.resolve("child.args");
        String classPath = System.getProperty("java.class.path");
        Files.writeString(argumentFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"\n");
        Path output = workFolder.resolve("child.out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "@" + argumentFile, RepeatedWriter.class.getName(),
                kind.name(), target.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new ChildWriter(process, output);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last version the child reported written, 0 if none yet. */
    int lastVersionWritten() throws IOException {
        List<String> lines = lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(WROTE)) {
                return Integer.parseInt(lines.get(i).split(" ")[1]);
            }
        }
        return 0;
    }

    /** The SHA-256 the child reported for {@code version} once written. */
    String digestOf(int version) throws IOException {
        String prefix = WROTE + version + " ";
        return lines().stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("the child never reported version " + version));
    }

    /** Kills the child with SIGKILL, so no code of it runs any more. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    /** Everything the child has printed, for failure messages. */
    String output() throws IOException {
        return String.join("\n", lines());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The complete lines printed so far; a line still being written is left out. */
    private List<String> lines() throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    }
}
