package dev.tern.cli.internal;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses a file in one folder for each output of a model. Output names are arbitrary strings
 * ("../x", "a/b", "logits:0"), so each becomes a safe file name: letters, digits, '_', '-' and
 * '.' only, no leading dot (no "..", no hidden files), at most {@value #MAX_STEM_LENGTH}
 * characters, and distinct from the others even on case-insensitive file systems. The result
 * always lies directly in the folder.
 */
final class OutputFileNames {
    static final int MAX_STEM_LENGTH = 100;
    private static final String EXTENSION = ".npy";

    private final Path folder;
    private final Set<String> taken = new HashSet<>();

    OutputFileNames(Path folder) {
        this.folder = folder;
    }

    /** The file for output {@code name}: {@code name.npy} when the name is already safe and unused. */
    Path fileFor(String name) {
        String stem = safeStem(name);
        String unique = stem;
        for (int suffix = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); suffix++) {
            unique = stem + "_" + suffix;
        }
        return folder.resolve(unique + EXTENSION);
    }

    private static String safeStem(String name) {
        StringBuilder stem = new StringBuilder(Math.min(name.length(), MAX_STEM_LENGTH));
        for (int i = 0; i < name.length() && stem.length() < MAX_STEM_LENGTH; i++) {
            char c = name.charAt(i);
            boolean safe = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || (c == '.' && i > 0));
            stem.append(safe ? c : '_');
        }
        return stem.length() == 0 ? "output" : stem.toString();
    }
}
