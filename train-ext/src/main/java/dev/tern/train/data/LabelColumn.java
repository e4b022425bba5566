package dev.tern.train.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which column of a CSV file holds the label: one named in the header, one counted from 1
 * (as error messages count columns), or the last. Every other column is a feature.
 */
public final class LabelColumn {
    /** The name of a named column, or null. */
    private final String name;
    /** The number (from 1) of a numbered column; 0 for the last column or a named one. */
    private final int number;

    private LabelColumn(String name, int number) {
        this.name = name;
        this.number = number;
    }

    /** The column the header names {@code name}; the file needs a header row. */
    public static LabelColumn named(String name) {
        return new LabelColumn(Objects.requireNonNull(name, "name"), 0);
    }

    /**
     * Column {@code number}, counted from 1.
     *
     * @throws IllegalArgumentException if {@code number} is below 1
     */
    public static LabelColumn numbered(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("columns are counted from 1, found column " + number);
        }
        return new LabelColumn(null, number);
    }

    /** The last column of every row. */
    public static LabelColumn last() {
        return new LabelColumn(null, 0);
    }

    /**
     * The 0-based index of this column in rows of {@code cellCount} cells.
     *
     * @param header the header's column names, or null for a file without a header
     * @param line the line that fixed the cell count (the header, or the first row), for errors
     * @throws DatasetException naming the file and line if the column does not exist
     */
    int index(Path file, int line, List<String> header, int cellCount) {
        if (name != null) {
            if (header == null) {
                throw new DatasetException(file + ": no header row to find the label column '" + name
                        + "' in; give the label column's number or 'last'");
            }
            int index = header.indexOf(name);
            if (index < 0) {
                throw new DatasetException(file + ": line " + line + ": no label column '" + name
                        + "', the columns are " + header);
            }
            return index;
        }
        if (number > cellCount) {
            throw new DatasetException(file + ": line " + line + ": no label column " + number + ", the rows have "
                    + cellCount + " columns");
        }
        return number == 0 ? cellCount - 1 : number - 1;
    }

    @Override
    public String toString() {
        if (name != null) {
            return "'" + name + "'";
        }
        return number == 0 ? "the last column" : "column " + number;
    }
}
