package dev.tern.train.report;

import dev.tern.ir.AtomicFiles;
import dev.tern.train.report.internal.Xml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a training history to disk: the {@link HistoryChart} SVG alone, or a small
 * self-contained HTML page (well-formed XHTML, no scripts or external files) with the chart
 * and a per-epoch table, which for a loss of two or more terms has each term's training and
 * validation values too. Every file is written atomically: to a temporary file beside the
 * target, then renamed over it, so a reader never sees half a report.
 */
public final class HistoryReport {
    private HistoryReport() {
    }

    /**
     * Writes the chart as an SVG file.
     *
     * @throws IllegalArgumentException if the history is empty
     * @throws IOException if the file cannot be written
     */
    public static void writeSvg(TrainingHistory history, Path file) throws IOException {
        AtomicFiles.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + HistoryChart.svg(history));
    }

    /**
     * Writes the HTML page titled {@code title}.
     *
     * @throws IllegalArgumentException if the history is empty
     * @throws IOException if the file cannot be written
     */
    public static void writeHtml(TrainingHistory history, String title, Path file) throws IOException {
        AtomicFiles.writeString(file, html(history, title));
    }

    /** The HTML page as a string. */
    static String html(TrainingHistory history, String title) {
        String escapedTitle = Xml.escape(title);
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>").append(escapedTitle).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}</style>\n")
                .append("</head>\n<body>\n<h1>").append(escapedTitle).append("</h1>\n")
                .append(HistoryChart.svg(history))
                .append("<table>\n<thead><tr><th>epoch</th><th>train loss</th><th>validation loss</th>")
                .append("<th>validation accuracy</th><th>examples/s</th>");
        List<String> terms = HistoryChart.chartedTerms(history);
        for (String term : terms) {
            page.append("<th>").append(Xml.escape(HistoryChart.termSeries("train", term))).append("</th><th>")
                    .append(Xml.escape(HistoryChart.termSeries("validation", term))).append("</th>");
        }
        page.append("</tr></thead>\n<tbody>\n");
        for (EpochStats stats : history.epochs()) {
            page.append("<tr><td>").append(stats.epoch())
                    .append("</td><td>").append(number("%.4f", stats.trainLoss()))
                    .append("</td><td>").append(number("%.4f", stats.validationLoss()))
                    .append("</td><td>").append(number("%.2f%%", stats.validationAccuracy() * 100))
                    .append("</td><td>").append(number("%.0f", stats.examplesPerSecond()));
            for (String term : terms) {
                page.append("</td><td>").append(number("%.4f", termValue(stats, EpochStats.TRAIN_TERM_PREFIX, term)))
                        .append("</td><td>")
                        .append(number("%.4f", termValue(stats, EpochStats.VALIDATION_TERM_PREFIX, term)));
            }
            page.append("</td></tr>\n");
        }
        page.append("</tbody>\n</table>\n</body>\n</html>\n");
        return page.toString();
    }

    private static double termValue(EpochStats stats, String prefix, String term) {
        return stats.metrics().getOrDefault(prefix + term, Double.NaN);
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
