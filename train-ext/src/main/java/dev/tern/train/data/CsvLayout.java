package dev.tern.train.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a CSV table of labelled examples is laid out: which column holds the label, whether a
 * header row names the columns, and how many lines come before it (as the line of facts that
 * opens scikit-learn's files). Every other column is a feature. Immutable.
 *
 * @param labelColumn the column holding the label
 * @param header whether the first line (after the skipped ones) names the columns
 * @param skipLines lines passed over before the header or the first row
 */
public record CsvLayout(LabelColumn labelColumn, boolean header, int skipLines) {
    /** The label in a column named {@code label}, a header row, no lines skipped. */
    public static final CsvLayout DEFAULT = new CsvLayout(LabelColumn.named("label"), true, 0);

    /** @throws IllegalArgumentException if {@code skipLines} is negative */
    public CsvLayout {
        Objects.requireNonNull(labelColumn, "labelColumn");
        if (skipLines < 0) {
            throw new IllegalArgumentException("lines to skip must be at least 0, found " + skipLines);
        }
    }

    /** The label in {@code column}, a header row, no lines skipped. */
    public static CsvLayout labelIn(LabelColumn column) {
        return new CsvLayout(column, true, 0);
    }

    /** This layout without a header row: the first line after the skipped ones is data. */
    public CsvLayout withoutHeader() {
        return new CsvLayout(labelColumn, false, skipLines);
    }

    /** This layout passing over the first {@code count} lines. @throws IllegalArgumentException if negative */
    public CsvLayout skippingLines(int count) {
        return new CsvLayout(labelColumn, header, count);
    }

    /** A reader of {@code file} laid out so. */
    public CsvDatasetReader reader(Path file) {
        CsvDatasetReader reader = CsvDatasetReader.of(file, labelColumn).skipLines(skipLines);
        return header ? reader : reader.noHeader();
    }
}
