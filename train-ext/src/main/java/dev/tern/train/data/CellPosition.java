package dev.tern.train.data;

import java.nio.file.Path;

/**
 * Where a CSV cell is, so that a bad value is reported with its file, line and column.
 *
 * @param columnName the header's name of the column, or null in a file without a header
 */
record CellPosition(Path file, int line, int columnIndex, String columnName) {

    float parseFloat(String cell) {
        String text = cell.strip();
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw error("'" + text + "' is not a number");
        }
        if (!Float.isFinite(value)) {
            throw error("'" + text + "' is not a finite float");
        }
        return value;
    }

    long parseClassIndex(String cell) {
        String text = cell.strip();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error("class label '" + text + "' is not a number");
        }
        // Labels written by numpy as floats ("3.0") are accepted when they are whole.
        if (value < 0 || value != Math.rint(value) || value > Integer.MAX_VALUE) {
            throw error("class label '" + text + "' is not a non-negative integer");
        }
        return (long) value;
    }

    /** An error about this cell: "FILE: line L, column C ('NAME'): PROBLEM". */
    DatasetException error(String problem) {
        return new DatasetException(file + ": line " + line + ", column " + (columnIndex + 1)
                + (columnName == null ? "" : " ('" + columnName + "')") + ": " + problem);
    }
}
