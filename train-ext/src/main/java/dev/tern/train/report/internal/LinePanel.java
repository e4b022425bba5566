package dev.tern.train.report.internal;

import java.util.List;

import static dev.tern.train.report.internal.Xml.coordinate;
import static dev.tern.train.report.internal.Xml.escape;

/**
 * Draws one line chart as an SVG group: frame, axes with ticks and labels, a title, one
 * polyline with point markers per series, and a legend. Points with a NaN value are left out.
 */
public final class LinePanel {
    public static final int WIDTH = 440;
    public static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;
    private static final int TICK = 5;

    private final String title;
    private final String xLabel;
    private final double[] x;
    private final List<Series> series;
    private final Ticks xTicks;
    private final Ticks yTicks;

    /**
     * A panel of {@code series} over the positions {@code x}.
     *
     * @throws IllegalArgumentException if there are no x positions or a series has another length
     */
    public LinePanel(String title, String xLabel, double[] x, List<Series> series) {
        if (x.length == 0) {
            throw new IllegalArgumentException("panel '" + title + "' has no points");
        }
        for (Series s : series) {
            if (s.values().length != x.length) {
                throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().length
                        + " values for " + x.length + " x positions");
            }
        }
        this.title = title;
        this.xLabel = xLabel;
        this.x = x.clone();
        this.series = List.copyOf(series);
        this.xTicks = Ticks.coveringIntegers(x[0], x[x.length - 1]);
        this.yTicks = yRange();
    }

    /** Appends the panel as a {@code <g>} translated to {@code (offsetX, 0)}. */
    public void render(StringBuilder svg, int offsetX) {
        svg.append("<g transform=\"translate(").append(offsetX).append(",0)\">\n");
        svg.append("<text x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">")
                .append(escape(title)).append("</text>\n");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth())
                .append("\" height=\"").append(plotHeight()).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        renderXAxis(svg);
        renderYAxis(svg);
        for (Series s : series) {
            renderSeries(svg, s);
        }
        renderLegend(svg);
        svg.append("</g>\n");
    }

    private void renderXAxis(StringBuilder svg) {
        int baseline = TOP + plotHeight();
        for (int i = 0; i < xTicks.count(); i++) {
            double value = xTicks.value(i);
            String px = coordinate(toX(value));
            svg.append("<line x1=\"").append(px).append("\" y1=\"").append(baseline).append("\" x2=\"").append(px)
                    .append("\" y2=\"").append(baseline + TICK).append("\" stroke=\"#444\"/>")
                    .append("<text x=\"").append(px).append("\" y=\"").append(baseline + TICK + 14)
                    .append("\" text-anchor=\"middle\">").append(xTicks.label(value)).append("</text>\n");
        }
        svg.append("<text x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"").append(HEIGHT - 8)
                .append("\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>\n");
    }

    private void renderYAxis(StringBuilder svg) {
        for (int i = 0; i < yTicks.count(); i++) {
            double value = yTicks.value(i);
            String py = coordinate(toY(value));
            svg.append("<line x1=\"").append(LEFT - TICK).append("\" y1=\"").append(py).append("\" x2=\"")
                    .append(LEFT + plotWidth()).append("\" y2=\"").append(py).append("\" stroke=\"#ddd\"/>")
                    .append("<text x=\"").append(LEFT - TICK - 3).append("\" y=\"").append(py)
                    .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(yTicks.label(value))
                    .append("</text>\n");
        }
    }

    private void renderSeries(StringBuilder svg, Series s) {
        svg.append("<g class=\"series\" data-name=\"").append(escape(s.name())).append("\" stroke=\"")
                .append(s.color()).append("\" fill=\"").append(s.color()).append("\">\n<polyline fill=\"none\" stroke-width=\"2\" points=\"");
        StringBuilder markers = new StringBuilder();
        String separator = "";
        for (int i = 0; i < x.length; i++) {
            double value = s.values()[i];
            if (Double.isNaN(value)) {
                continue;
            }
            String px = coordinate(toX(x[i]));
            String py = coordinate(toY(value));
            svg.append(separator).append(px).append(',').append(py);
            separator = " ";
            markers.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"3\"/>\n");
        }
        svg.append("\"/>\n").append(markers).append("</g>\n");
    }

    private void renderLegend(StringBuilder svg) {
        int y = endsHigh() ? TOP + plotHeight() - 18 * series.size() : TOP + 14;
        for (Series s : series) {
            int left = LEFT + plotWidth() - 150;
            svg.append("<line x1=\"").append(left).append("\" y1=\"").append(y).append("\" x2=\"").append(left + 20)
                    .append("\" y2=\"").append(y).append("\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"/>")
                    .append("<text class=\"legend\" x=\"").append(left + 26).append("\" y=\"").append(y)
                    .append("\" dominant-baseline=\"middle\">").append(escape(s.name())).append("</text>\n");
            y += 18;
        }
    }

    /**
     * Whether the lines end in the upper half of the plot, where a top-right legend would cover
     * them (accuracy curves do); the legend then goes to the bottom right.
     */
    private boolean endsHigh() {
        double middle = (yTicks.min() + yTicks.max()) / 2;
        for (Series s : series) {
            double last = s.values()[x.length - 1];
            if (!Double.isNaN(last) && last > middle) {
                return true;
            }
        }
        return false;
    }

    private Ticks yRange() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double value : s.values()) {
                if (!Double.isNaN(value)) {
                    low = Math.min(low, value);
                    high = Math.max(high, value);
                }
            }
        }
        // A panel whose series are all unmeasured still gets a frame and axes.
        return low > high ? Ticks.covering(0, 1) : Ticks.covering(low, high);
    }

    private double toX(double value) {
        return LEFT + (value - xTicks.min()) / (xTicks.max() - xTicks.min()) * plotWidth();
    }

    private double toY(double value) {
        return TOP + plotHeight() - (value - yTicks.min()) / (yTicks.max() - yTicks.min()) * plotHeight();
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }
}
