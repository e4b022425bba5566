package dev.tern.train.report;

import dev.tern.train.report.internal.LinePanel;
import dev.tern.train.report.internal.Series;

import java.util.List;

/**
 * Renders a {@link TrainingHistory} as a self-contained SVG image with two panels side by
 * side: training and validation loss, and validation accuracy, each over the epochs. Written
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

    private HistoryChart() {
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
        int width = 2 * LinePanel.WIDTH;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(LinePanel.HEIGHT).append("\" viewBox=\"0 0 ").append(width).append(' ').append(LinePanel.HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        loss.render(svg, 0);
        accuracy.render(svg, LinePanel.WIDTH);
        svg.append("</svg>\n");
        return svg.toString();
    }
}
