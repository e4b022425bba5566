package dev.tern.train.data;

import dev.tern.train.data.internal.FloatList;
import dev.tern.train.data.internal.LongList;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a data set from a CSV file with a header row: one column holds the label, every other
 * column is a feature, in file order.
 *
 * <pre>{@code
 * Dataset digits = CsvDatasetReader.of(Path.of("digits.csv"), "label").featureShape(1, 8, 8).read();
 * }</pre>
 *
 * <p>The format is plain: cells separated by commas, no quoting (a header name may be wrapped
 * in double quotes), blank lines ignored. Class labels must be non-negative integers and the
 * class count is the largest label plus one; {@link #targets()} reads the label as a float
 * target of shape {@code [1]} instead. Errors name the file, the 1-based line and the column.
 */
public final class CsvDatasetReader {
    private final Path file;
    private final String labelColumn;
    private long[] featureShape;
    private LabelKind labelKind = LabelKind.CLASS_INDEX;

    private CsvDatasetReader(Path file, String labelColumn) {
        this.file = file;
        this.labelColumn = labelColumn;
    }

    /** A reader of {@code file} whose labels are in the column named {@code labelColumn}. */
    public static CsvDatasetReader of(Path file, String labelColumn) {
        return new CsvDatasetReader(Objects.requireNonNull(file, "file"), Objects.requireNonNull(labelColumn, "labelColumn"));
    }

    /**
     * Gives each example's features this shape (for example {@code 1, 8, 8} for 64 pixel
     * columns) instead of {@code [feature column count]}.
     *
     * @throws DatasetException if a dimension is below 1
     */
    public CsvDatasetReader featureShape(long... shape) {
        this.featureShape = Shapes.checkedExampleShape("feature", shape);
        return this;
    }

    /** Reads the label column as a float target of shape {@code [1]} rather than a class index. */
    public CsvDatasetReader targets() {
        this.labelKind = LabelKind.TARGET;
        return this;
    }

    /**
     * Reads the whole file.
     *
     * @throws DatasetException naming the file, line and column if the header lacks the label
     *     column, a row has the wrong number of cells, a cell is not a finite number, a class
     *     label is not a non-negative integer, the file has no rows, or the feature shape does
     *     not match the feature column count
     * @throws IOException if the file cannot be read
     */
    public Dataset read() throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new DatasetException(file + ": the file is empty, expected a header row");
            }
            List<String> columns = headerNames(header);
            int labelIndex = columns.indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new DatasetException(file + ": line 1: no label column '" + labelColumn
                        + "', the columns are " + columns);
            }
            long[] shape = resolvedFeatureShape(columns.size() - 1);
            FloatList features = new FloatList();
            FloatList targets = new FloatList();
            LongList classes = new LongList();
            int lineNumber = 1;
            int rows = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw new DatasetException(file + ": line " + lineNumber + ": expected " + columns.size()
                            + " cells as in the header, found " + cells.length);
                }
                for (int c = 0; c < cells.length; c++) {
                    CellPosition at = new CellPosition(file, lineNumber, c, columns.get(c));
                    if (c != labelIndex) {
                        features.add(at.parseFloat(cells[c]));
                    } else if (labelKind == LabelKind.CLASS_INDEX) {
                        classes.add(at.parseClassIndex(cells[c]));
                    } else {
                        targets.add(at.parseFloat(cells[c]));
                    }
                }
                rows++;
            }
            if (rows == 0) {
                throw new DatasetException(file + ": no data rows after the header");
            }
            return labelKind == LabelKind.CLASS_INDEX
                    ? NumberedClasses.dataset(features.toArray(), shape, classes.toArray(), file)
                    : Dataset.ofTargets(features.toArray(), shape, targets.toArray(), new long[] {1});
        }
    }

    private long[] resolvedFeatureShape(int featureColumns) {
        if (featureColumns == 0) {
            throw new DatasetException(file + ": line 1: no feature columns besides the label column '" + labelColumn + "'");
        }
        if (featureShape == null) {
            return new long[] {featureColumns};
        }
        if (Shapes.size(featureShape) != featureColumns) {
            throw new DatasetException(file + ": feature shape " + Shapes.format(featureShape) + " holds "
                    + Shapes.size(featureShape) + " values, but the file has " + featureColumns + " feature columns");
        }
        return featureShape;
    }

    private List<String> headerNames(String header) {
        String[] cells = header.split(",", -1);
        List<String> names = new ArrayList<>(cells.length);
        for (String cell : cells) {
            String name = cell.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            if (names.contains(name)) {
                throw new DatasetException(file + ": line 1: column name '" + name + "' appears twice");
            }
            names.add(name);
        }
        return names;
    }
}
