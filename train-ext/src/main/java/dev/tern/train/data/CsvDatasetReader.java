package dev.tern.train.data;

import dev.tern.train.data.internal.FloatList;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a data set from a CSV file: one column holds the label, every other column is a
 * feature, in file order.
 *
 * <pre>{@code
 * Dataset digits = CsvDatasetReader.of(Path.of("digits.csv"), "label").featureShape(1, 8, 8).read();
 * Dataset wine = CsvDatasetReader.of(Path.of("wine_data.csv"), LabelColumn.last()).skipLines(1).noHeader().read();
 * }</pre>
 *
 * <p>The format is plain: cells separated by commas, no quoting (a header name may be wrapped
 * in double quotes), blank lines ignored. The first line is a header naming the columns unless
 * {@link #noHeader()} says otherwise; {@link #skipLines} passes over lines before it (a line of
 * other facts, as scikit-learn's files start with).
 *
 * <p>Class labels are indices (0, 1, ...) or names ("setosa"), not both in one column. With
 * indices, the class count is the largest label plus one unless {@link #classCount} fixes it;
 * names are numbered in sorted order. {@link #targets()} reads the label as a float target of
 * shape {@code [1]} instead. Errors name the file, the 1-based line and the 1-based column.
 */
public final class CsvDatasetReader {
    private final Path file;
    private final LabelColumn labelColumn;
    private long[] featureShape;
    private LabelKind labelKind = LabelKind.CLASS_INDEX;
    private boolean header = true;
    private int skipLines;
    private int classCount;
    private List<String> classNames;

    private CsvDatasetReader(Path file, LabelColumn labelColumn) {
        this.file = file;
        this.labelColumn = labelColumn;
    }

    /** A reader of {@code file} whose labels are in the column the header names {@code labelColumn}. */
    public static CsvDatasetReader of(Path file, String labelColumn) {
        return of(file, LabelColumn.named(labelColumn));
    }

    /** A reader of {@code file} whose labels are in {@code labelColumn}. */
    public static CsvDatasetReader of(Path file, LabelColumn labelColumn) {
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

    /** Reads the label column as a float target of shape {@code [1]} rather than a class label. */
    public CsvDatasetReader targets() {
        this.labelKind = LabelKind.TARGET;
        return this;
    }

    /** The file has no header: its first line (after {@link #skipLines}) is a data row. */
    public CsvDatasetReader noHeader() {
        this.header = false;
        return this;
    }

    /**
     * Passes over the file's first {@code count} lines, whatever they hold, before the header
     * (or the first data row). Line numbers in errors still count them.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public CsvDatasetReader skipLines(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("lines to skip must be >= 0, found " + count);
        }
        this.skipLines = count;
        return this;
    }

    /**
     * Fixes the number of classes, as a model's output size does: a class index of
     * {@code count} or more is refused at its line, and class names must be exactly
     * {@code count}.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public CsvDatasetReader classCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the class count must be >= 1, found " + count);
        }
        this.classCount = count;
        this.classNames = null;
        return this;
    }

    /**
     * Fixes the classes to {@code names}, in index order (those of the training data, when
     * reading validation data): a class name must be one of them, a class index below their
     * count.
     *
     * @throws IllegalArgumentException if {@code names} is empty
     */
    public CsvDatasetReader classNames(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the class names must not be empty");
        }
        this.classNames = List.copyOf(names);
        this.classCount = 0;
        return this;
    }

    /**
     * Reads the whole file.
     *
     * @throws DatasetException naming the file, line and column if the label column does not
     *     exist, a row has the wrong number of cells, a feature or target is not a finite
     *     number, a class label is out of range or of the wrong kind (see {@link #classCount}
     *     and {@link #classNames}), the file has no rows, or the feature shape does not match
     *     the feature column count
     * @throws IOException if the file cannot be read
     */
    public Dataset read() throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvLines lines = new CsvLines(reader);
            if (!lines.skip(skipLines)) {
                throw new DatasetException(file + ": the file has fewer than the " + skipLines + " lines to skip");
            }
            String first = lines.next();
            if (first == null) {
                throw new DatasetException(file + ": the file is empty" + afterSkipped()
                        + (header ? ", expected a header row" : ", expected data rows"));
            }
            int firstLine = lines.number();
            List<String> columns = header ? headerNames(first, firstLine) : null;
            int cellCount = header ? columns.size() : cells(first).length;
            int labelIndex = labelColumn.index(file, firstLine, columns, cellCount);
            long[] shape = resolvedFeatureShape(cellCount - 1, firstLine);
            String cellCountSource = header ? "the header" : "line " + firstLine;

            FloatList features = new FloatList();
            FloatList targets = new FloatList();
            ClassLabels classes = new ClassLabels(classCount, classNames);
            int rows = 0;
            for (String line = header ? lines.next() : first; line != null; line = lines.next()) {
                String[] cells = cells(line);
                if (cells.length != cellCount) {
                    throw new DatasetException(file + ": line " + lines.number() + ": expected " + cellCount
                            + " cells as in " + cellCountSource + ", found " + cells.length);
                }
                for (int c = 0; c < cells.length; c++) {
                    CellPosition at = new CellPosition(file, lines.number(), c, columns == null ? null : columns.get(c));
                    if (c != labelIndex) {
                        features.add(at.parseFloat(cells[c]));
                    } else if (labelKind == LabelKind.CLASS_INDEX) {
                        classes.add(cells[c], at);
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
                    ? classes.dataset(features.toArray(), shape, file)
                    : Dataset.ofTargets(features.toArray(), shape, targets.toArray(), new long[] {1});
        }
    }

    private String afterSkipped() {
        return skipLines == 0 ? "" : " after the " + skipLines + (skipLines == 1 ? " line" : " lines") + " skipped";
    }

    private static String[] cells(String line) {
        return line.split(",", -1);
    }

    /** @param line the line the column count comes from (the header, or the first row) */
    private long[] resolvedFeatureShape(int featureColumns, int line) {
        if (featureColumns == 0) {
            throw new DatasetException(file + ": line " + line + ": no feature columns besides the label column "
                    + labelColumn);
        }
        if (featureShape == null) {
            return new long[] {featureColumns};
        }
        if (Shapes.size(featureShape) != featureColumns) {
            throw new DatasetException(file + ": line " + line + ": feature shape " + Shapes.format(featureShape)
                    + " holds " + Shapes.size(featureShape) + " values, but the file has " + featureColumns
                    + " feature columns");
        }
        return featureShape;
    }

    private List<String> headerNames(String header, int line) {
        String[] cells = cells(header);
        List<String> names = new ArrayList<>(cells.length);
        for (String cell : cells) {
            String name = cell.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            if (names.contains(name)) {
                throw new DatasetException(file + ": line " + line + ": column name '" + name + "' appears twice");
            }
            names.add(name);
        }
        return names;
    }
}
