package dev.tern.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written in place: the content, no leftovers, and permissions from the umask or the file replaced. */
class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void writesTheContentAndLeavesNothingElse() throws IOException {
        Path target = folder.resolve("model.onnx");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));

        assertEquals("second", Files.readString(target));
        assertEquals(List.of(target), entries());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = folder.resolve("report.html");
        AtomicFiles.writeString(target, "old");

        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write('x');
            throw new IOException("disk full");
        }));

        assertEquals("disk full", failure.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), entries());
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path target = folder.resolve("checkpoint.zip");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));

        AtomicFiles.writeString(target, "new");

        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    /**
     * A child JVM with umask 027 writes a new file: it must come out rw-r-----, neither the 0600
     * of a temporary file nor a fixed 0644. (A JVM cannot change its own umask.)
     */
    @Test
    void aNewFileHonoursTheUmask() throws Exception {
        Path target = folder.resolve("new.onnx");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("/bin/sh", "-c", "umask 027 && exec \"$0\" \"$@\"", java,
                "-cp", System.getProperty("java.class.path"), AtomicFilesChild.class.getName(), target.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);

        assertEquals("written by a child", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void aMissingFolderIsAnError() {
        Path target = folder.resolve("no-such-folder").resolve("model.onnx");

        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        }
    }
}
