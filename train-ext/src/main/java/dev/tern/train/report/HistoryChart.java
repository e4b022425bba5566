package dev.tern.train.report;

import dev.tern.train.report.internal.LinePanel;
import dev.tern.train.report.internal.Series;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link TrainingHistory} as a self-contained SVG image with panels side by side:
 * training and validation loss, validation accuracy, and for a loss of two or more terms each
 * term's training and validation values ({@link #termSeries}), all over the epochs. Written
 * by hand, with no dependency; every series is a {@code <g class="series" data-name="...">}
 * holding a polyline and point markers, so tests and scripts can find it.
 */
public final class HistoryChart {
    /** The name of the training-loss series, as in its legend and {@code data-name}. */
    public static final String TRAIN_LOSS = "train loss";
    /** The name of the validation-loss series. */
    public static final String VALIDATION_LOSS = "validation loss";
    /** The name of the validation-accuracy series. */
    public static final String VALIDATION_ACCURACY = "validation accuracy";

    /** Line colours of the loss terms' panel, one per series, reused in turn past the last. */
    private static final List<String> TERM_COLORS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b");

    private HistoryChart() {
    }

    /**
     * The name of a loss term's series, as in its legend and {@code data-name}:
     * {@code "train reconstruction"}, {@code "validation kl"}.
     *
     * @param split {@code "train"} or {@code "validation"}
     */
    public static String termSeries(String split, String term) {
        return split + " " + term;
    }

    /**
     * The chart as an SVG document.
     *
     * @throws IllegalArgumentException if the history is empty
     */
    public static String svg(TrainingHistory history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("cannot chart a training history with no epochs");
        }
        double[] epochs = history.column(EpochStats::epoch);
        LinePanel loss = new LinePanel("Loss", "epoch", epochs, List.of(
                new Series(TRAIN_LOSS, "#1f77b4", history.column(EpochStats::trainLoss)),
                new Series(VALIDATION_LOSS, "#ff7f0e", history.column(EpochStats::validationLoss))));
        LinePanel accuracy = new LinePanel("Validation accuracy", "epoch", epochs, List.of(
                new Series(VALIDATION_ACCURACY, "#2ca02c", history.column(EpochStats::validationAccuracy))));
        List<LinePanel> panels = new ArrayList<>(List.of(loss, accuracy));
        List<String> terms = chartedTerms(history);
        if (!terms.isEmpty()) {
            panels.add(new LinePanel("Loss terms", "epoch", epochs, termSeries(history, terms)));
        }
        int width = panels.size() * LinePanel.WIDTH;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(LinePanel.HEIGHT).append("\" viewBox=\"0 0 ").append(width).append(' ').append(LinePanel.HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).render(svg, i * LinePanel.WIDTH);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * The loss terms the report shows on their own: none for a loss of one term, which is the
     * total already shown.
     */
    static List<String> chartedTerms(TrainingHistory history) {
        List<String> terms = history.lossTerms();
        return terms.size() > 1 ? terms : List.of();
    }

    /** A training and a validation series per term, each in the next colour. */
    private static List<Series> termSeries(TrainingHistory history, List<String> terms) {
        List<Series> series = new ArrayList<>();
        for (String term : terms) {
            series.add(new Series(termSeries("train", term), nextColor(series),
                    history.metricColumn(EpochStats.TRAIN_TERM_PREFIX + term)));
            series.add(new Series(termSeries("validation", term), nextColor(series),
                    history.metricColumn(EpochStats.VALIDATION_TERM_PREFIX + term)));
        }
        return series;
    }

    private static String nextColor(List<Series> drawn) {
        return TERM_COLORS.get(drawn.size() % TERM_COLORS.size());
    }
}
