package dev.tern.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A committed text file of {@code key | value} lines, sorted by key, that a conformance test
 * must reproduce exactly. The files live in {@code tests/src/test/resources/conformance/} and
 * are read there, in the source tree, so that comparing and rewriting see the same file. With
 * {@code -Dtern.conformance.update=true} a test rewrites its file instead of comparing, so that
 * an intended change is made on purpose and then reviewed as a diff in git.
 */
final class ExpectationFile {
    static final String UPDATE_PROPERTY = "tern.conformance.update";
    private static final String SEPARATOR = " | ";
    private static final String FOLDER = "src/test/resources/conformance";

    private final Path file;
    private final List<String> header;

    /**
     * @param file   where the file is
     * @param header what the file holds and how to regenerate it, written as {@code #} lines on top
     */
    ExpectationFile(Path file, List<String> header) {
        this.file = file;
        this.header = List.copyOf(header);
    }

    /**
     * The file {@code fileName} among the tests module's committed conformance files. Surefire
     * runs in the module's folder and names it in {@code basedir}; an IDE usually runs there too.
     */
    static ExpectationFile committed(String fileName, List<String> header) {
        return new ExpectationFile(Path.of(System.getProperty("basedir", "")).resolve(FOLDER).resolve(fileName),
                header);
    }

    /** Whether this run rewrites the files instead of comparing ({@value #UPDATE_PROPERTY}=true). */
    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /**
     * Compares {@code actual} with the file, or rewrites the file with it when {@link #updating()}.
     *
     * @param what      what the lines are, for the message ("Skipped cases")
     * @param testClass the test that owns the file, for the regeneration command
     * @return the failure message of {@link #mismatch}; empty when equal or rewritten
     * @throws UncheckedIOException if the file cannot be read or rewritten
     * @throws IllegalStateException if the file is malformed
     */
    Optional<String> verify(SortedMap<String, String> actual, String what, String testClass) {
        if (updating()) {
            rewrite(actual);
            System.out.println("rewrote " + file.toAbsolutePath() + " (" + actual.size()
                    + " lines); review it with git diff before committing");
            return Optional.empty();
        }
        return mismatch(actual, what, testClass);
    }

    /**
     * The failure message when {@code actual} differs from the file: the differences and how to
     * accept them on purpose; empty when they are equal.
     */
    Optional<String> mismatch(SortedMap<String, String> actual, String what, String testClass) {
        List<String> differences = differences(actual);
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(what + " differ from " + file + " (" + differences.size() + " lines):\n"
                + String.join("\n", differences) + "\nIf the change is intended, regenerate the file from the"
                + " repository's root and review the diff:\n  " + regenerationCommand(testClass)
                + "\n  git diff tests/" + FOLDER + "/");
    }

    /** The command, run in the repository's root, that rewrites the files of {@code testClass}. */
    static String regenerationCommand(String testClass) {
        return "mvn -B -ntp -q -pl tests -am test -Dtest=" + testClass
                + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";
    }

    /**
     * How {@code actual} differs from the file, one entry per key that is not listed, listed
     * but absent, or changed; empty when they are equal. A missing file lists nothing.
     */
    List<String> differences(SortedMap<String, String> actual) {
        Map<String, String> committed = read();
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(committed.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            String was = committed.get(key);
            String now = actual.get(key);
            if (was == null) {
                differences.add("  not listed:     " + key + SEPARATOR + now);
            } else if (now == null) {
                differences.add("  listed, absent: " + key + SEPARATOR + was);
            } else if (!was.equals(now)) {
                differences.add("  changed:        " + key + SEPARATOR + was
                        + "\n             now: " + key + SEPARATOR + now);
            }
        }
        return differences;
    }

    /** Writes the header and {@code actual}, sorted by key, over the file. */
    void rewrite(SortedMap<String, String> actual) {
        StringBuilder text = new StringBuilder();
        header.forEach(line -> text.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
        actual.forEach((key, value) -> text.append(key).append(SEPARATOR).append(value).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file.toAbsolutePath()
                    + " (run the test from the repository's root with -pl tests, or from the tests module)", e);
        }
    }

    private Map<String, String> read() {
        Map<String, String> lines = new TreeMap<>();
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int separator = line.indexOf(SEPARATOR);
            if (separator < 0 || lines.put(line.substring(0, separator),
                    line.substring(separator + SEPARATOR.length())) != null) {
                throw new IllegalStateException(file + " line " + (i + 1)
                        + ": expected a 'key | value' line with a new key, found '" + line + "'");
            }
        }
        return lines;
    }
}
