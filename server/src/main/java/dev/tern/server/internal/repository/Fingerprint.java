package dev.tern.server.internal.repository;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a model folder held when it was loaded (each file's path, time and size), so polling can
 * tell when it changed, and which part: one version folder's files, or those all versions share
 * (the config and warm-up data).
 */
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

    /** The part of this fingerprint under version folder {@code folderName}. */
    Fingerprint version(String folderName) {
        String prefix = folderName + File.separator;
        return new Fingerprint(files.stream().filter(file -> file.startsWith(prefix)).toList());
    }

    /** The part of this fingerprint outside every version folder: what all versions read. */
    Fingerprint shared() {
        return new Fingerprint(files.stream().filter(file -> {
            int separator = file.indexOf(File.separatorChar);
            return separator < 0 || !ModelLoader.VERSION.matcher(file.substring(0, separator)).matches();
        }).toList());
    }
}
