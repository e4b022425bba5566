package dev.tern.cli.internal;

import java.awt.image.BufferedImage;

/**
 * Draws generated examples as a grid of images, row by row, each value a square of
 * {@code zoom} pixels and the images {@value #GAP} pixels apart on black. Values are mapped to
 * grey levels (or RGB) linearly from the lowest to the highest value of all the examples, so a
 * generator in any scale (pixels / 16, or 0 to 16) draws with full contrast.
 */
final class SampleGrid {
    /** Pixels between images and around the grid. */
    static final int GAP = 2;
    private static final int MAX_LEVEL = 255;

    private final ImageShape shape;
    private final int columns;
    private final int zoom;

    SampleGrid(ImageShape shape, int columns, int zoom) {
        this.shape = shape;
        this.columns = columns;
        this.zoom = zoom;
    }

    /** The grid of the {@code values.length / shape.size()} examples in {@code values}. */
    BufferedImage draw(float[] values) {
        int count = values.length / shape.size();
        int rows = (count + columns - 1) / columns;
        int cellWidth = shape.width() * zoom + GAP;
        int cellHeight = shape.height() * zoom + GAP;
        BufferedImage image = new BufferedImage(columns * cellWidth + GAP, rows * cellHeight + GAP,
                BufferedImage.TYPE_INT_RGB);
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            low = Math.min(low, value);
            high = Math.max(high, value);
        }
        float range = high > low ? high - low : 1;
        for (int example = 0; example < count; example++) {
            int left = GAP + example % columns * cellWidth;
            int top = GAP + example / columns * cellHeight;
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    int rgb = color(values, example * shape.size(), y * shape.width() + x, low, range);
                    fill(image, left + x * zoom, top + y * zoom, rgb);
                }
            }
        }
        return image;
    }

    /** The RGB of pixel {@code pixel} of the example from {@code offset}: its one grey level or its three channels. */
    private int color(float[] values, int offset, int pixel, float low, float range) {
        int plane = shape.height() * shape.width();
        int red = level(values[offset + pixel], low, range);
        if (shape.channels() == 1) {
            return red << 16 | red << 8 | red;
        }
        int green = level(values[offset + plane + pixel], low, range);
        int blue = level(values[offset + 2 * plane + pixel], low, range);
        return red << 16 | green << 8 | blue;
    }

    private static int level(float value, float low, float range) {
        return Math.round((value - low) / range * MAX_LEVEL);
    }

    private void fill(BufferedImage image, int left, int top, int rgb) {
        for (int dy = 0; dy < zoom; dy++) {
            for (int dx = 0; dx < zoom; dx++) {
                image.setRGB(left + dx, top + dy, rgb);
            }
        }
    }
}
