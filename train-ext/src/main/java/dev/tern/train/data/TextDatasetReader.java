package dev.tern.train.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads labelled texts from a tab-separated file with a header row, one example per line:
 *
 * <pre>
 * label    text
 * sports   The striker scored twice in the second half.
 * cooking  Chop the onions finely and fry them in butter.
 * </pre>
 *
 * Tabs separate the cells (texts may hold commas and quotes; they cannot hold tabs or line
 * breaks), blank lines are ignored, and other columns are allowed. The label cells are class
 * names; classes are numbered in sorted name order, so the numbering does not depend on the
 * order of the lines. Errors name the file and the 1-based line.
 */
public final class TextDatasetReader {
    private final Path file;
    private final String textColumn;
    private final String labelColumn;

    private TextDatasetReader(Path file, String textColumn, String labelColumn) {
        this.file = file;
        this.textColumn = textColumn;
        this.labelColumn = labelColumn;
    }

    /** A reader of {@code file} whose texts are in column {@code textColumn} and class names in {@code labelColumn}. */
    public static TextDatasetReader of(Path file, String textColumn, String labelColumn) {
        return new TextDatasetReader(Objects.requireNonNull(file, "file"), Objects.requireNonNull(textColumn, "textColumn"),
                Objects.requireNonNull(labelColumn, "labelColumn"));
    }

    /**
     * Reads the whole file.
     *
     * @throws DatasetException naming the file and line if a column is missing, a row has the
     *     wrong number of cells, a text or label is empty, there are no rows or fewer than 2 classes
     * @throws IOException if the file cannot be read
     */
    public TextDataset read() throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new DatasetException(file + ": the file is empty, expected a header row");
            }
            List<String> columns = List.of(header.split("\t", -1)).stream().map(String::strip).toList();
            int textIndex = column(columns, textColumn, "text");
            int labelIndex = column(columns, labelColumn, "label");
            List<String> texts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != columns.size()) {
                    throw new DatasetException(file + ": line " + lineNumber + ": expected " + columns.size()
                            + " tab-separated cells as in the header, found " + cells.length);
                }
                texts.add(nonEmpty(cells[textIndex], lineNumber, textColumn));
                names.add(nonEmpty(cells[labelIndex], lineNumber, labelColumn).strip());
            }
            if (texts.isEmpty()) {
                throw new DatasetException(file + ": no data rows after the header");
            }
            List<String> classNames = List.copyOf(new TreeSet<>(names));
            if (classNames.size() < 2) {
                throw new DatasetException(file + ": column '" + labelColumn + "' names only the class " + classNames
                        + "; a classifier needs at least 2");
            }
            long[] labels = names.stream().mapToLong(classNames::indexOf).toArray();
            return TextDataset.of(texts, labels, classNames);
        }
    }

    private int column(List<String> columns, String name, String role) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new DatasetException(file + ": line 1: no " + role + " column '" + name + "', the columns are " + columns);
        }
        return index;
    }

    private String nonEmpty(String cell, int lineNumber, String column) {
        if (cell.isBlank()) {
            throw new DatasetException(file + ": line " + lineNumber + ": column '" + column + "' is empty");
        }
        return cell;
    }
}
