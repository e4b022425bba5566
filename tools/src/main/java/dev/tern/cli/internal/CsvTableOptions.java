package dev.tern.cli.internal;

import dev.tern.train.data.CsvLayout;
import dev.tern.train.data.LabelColumn;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s options for the layout of a CSV table: where the label is, whether
 * there is a header, and lines to pass over before it (as scikit-learn's files start with a
 * line of facts).
 */
final class CsvTableOptions {
    /** The label column given as the last column rather than by name or number. */
    private static final String LAST = "last";

    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "The column holding the label: its header name, its number counted from 1, or last "
                    + "(default: label). With --text-column, the header name of the class names.")
    private String labelColumn = "label";

    @Option(names = "--no-header", description = "The CSV file has no header row: its first line (after --skip-lines) is data.")
    private boolean noHeader;

    @Option(names = "--skip-lines", paramLabel = "N",
            description = "Pass over the CSV file's first N lines (default: 0), as the line of facts that opens "
                    + "scikit-learn's files.")
    private int skipLines;

    /** The label column as given, for text data, whose label column is always named. */
    String labelColumnName() {
        return labelColumn;
    }

    /** Whether any option besides --label-column was given; those apply to CSV tables only. */
    boolean describesLayout() {
        return noHeader || skipLines != 0;
    }

    /** Checks the options before any file is read. @throws CliFailure (usage) naming the bad option */
    void check() {
        if (skipLines < 0) {
            throw CliFailure.usage("--skip-lines must be at least 0, found " + skipLines);
        }
        labelColumn();
    }

    /** The layout the options describe. */
    CsvLayout layout() {
        CsvLayout layout = CsvLayout.labelIn(labelColumn()).skippingLines(skipLines);
        return noHeader ? layout.withoutHeader() : layout;
    }

    private LabelColumn labelColumn() {
        if (labelColumn.equals(LAST)) {
            return LabelColumn.last();
        }
        if (!labelColumn.matches("\\d+")) {
            return LabelColumn.named(labelColumn);
        }
        try {
            return LabelColumn.numbered(Integer.parseInt(labelColumn));
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--label-column " + labelColumn + ": " + e.getMessage(), e);
        }
    }
}
