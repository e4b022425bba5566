package dev.tern.train.report.internal;

/**
 * One named line of a chart: a y value per x, NaN where there is none.
 *
 * @param name the legend text
 * @param color an SVG colour
 * @param values one value per x position
 */
public record Series(String name, String color, double[] values) {
}
