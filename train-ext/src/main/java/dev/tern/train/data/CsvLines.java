package dev.tern.train.data;

import java.io.BufferedReader;
import java.io.IOException;

/** The lines of a CSV file, numbered from 1 as editors number them, with blank lines passed over. */
final class CsvLines {
    private final BufferedReader reader;
    private int number;

    CsvLines(BufferedReader reader) {
        this.reader = reader;
    }

    /**
     * Passes over the next {@code count} lines, blank or not.
     *
     * @return whether the file had that many lines
     */
    boolean skip(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (reader.readLine() == null) {
                return false;
            }
            number++;
        }
        return true;
    }

    /** The next line that is not blank, or null at the end of the file. */
    String next() throws IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (!line.isBlank()) {
                return line;
            }
        }
        return null;
    }

    /** The number of the line {@link #next()} returned last. */
    int number() {
        return number;
    }
}
