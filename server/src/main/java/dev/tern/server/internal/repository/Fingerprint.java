package dev.tern.server.internal.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a model folder held when it was loaded (each file's path, time and size), so polling can tell when it changed. */
record Fingerprint(List<String> files) {
    /** The fingerprint of {@code folder} now: its config and version folders' files. */
    static Fingerprint of(Path folder) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, 2)) {
            walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                try {
                    files.add(folder.relativize(file) + "@" + Files.getLastModifiedTime(file).toMillis()
                            + ":" + Files.size(file));
                } catch (IOException e) {
                    files.add(folder.relativize(file) + "@unreadable");
                }
            });
        } catch (IOException | UncheckedIOException e) {
            files.add("unreadable: " + e.getMessage());
        }
        return new Fingerprint(List.copyOf(files));
    }
}
