package dev.tern.ir;

import java.io.IOException;
import java.nio.file.Path;

/** Run by {@link AtomicFilesTest} in a child JVM whose umask the test sets: writes {@code args[0]}. */
final class AtomicFilesChild {
    private AtomicFilesChild() {
    }

    public static void main(String[] args) throws IOException {
        AtomicFiles.writeString(Path.of(args[0]), "written by a child");
    }
}
