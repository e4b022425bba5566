package dev.tern.train.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Moves the whole image by a random whole number of pixels, up to {@code maxPixels} in each
 * direction independently; pixels moved in from outside are 0. Stateless and thread-safe.
 */
public final class RandomShift implements Augmentation {
    private final int maxPixels;

    /**
     * @throws DatasetException if {@code maxPixels} is negative
     */
    public RandomShift(int maxPixels) {
        if (maxPixels < 0) {
            throw new DatasetException("shift must be >= 0 pixels, found " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    @Override
    public void apply(float[] values, int offset, ImageShape shape, Random random) {
        int dy = random.nextInt(2 * maxPixels + 1) - maxPixels;
        int dx = random.nextInt(2 * maxPixels + 1) - maxPixels;
        int h = shape.height();
        for (int c = 0; c < shape.channels(); c++) {
            int plane = offset + c * h * shape.width();
            // In place: walk rows against the shift so each source row is read before it is overwritten.
            for (int step = 0; step < h; step++) {
                int y = dy > 0 ? h - 1 - step : step;
                shiftRow(values, plane, shape.width(), y, y - dy, h, dx);
            }
        }
    }

    private static void shiftRow(float[] values, int plane, int w, int y, int sourceY, int h, int dx) {
        int row = plane + y * w;
        if (sourceY < 0 || sourceY >= h || Math.abs(dx) >= w) {
            Arrays.fill(values, row, row + w, 0f);
            return;
        }
        int fromX = Math.max(0, dx);
        int toX = Math.min(w, w + dx);
        System.arraycopy(values, plane + sourceY * w + fromX - dx, values, row + fromX, toX - fromX);
        Arrays.fill(values, row, row + fromX, 0f);
        Arrays.fill(values, row + toX, row + w, 0f);
    }
}
