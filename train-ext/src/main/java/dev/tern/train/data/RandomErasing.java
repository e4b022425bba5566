package dev.tern.train.data;

import java.util.Arrays;
import java.util.Random;

/**
 * With a given probability, sets a random rectangle of each image to 0 in every channel (as
 * torchvision's {@code RandomErasing}, which erases after normalization where 0 is the mean;
 * this runs before it, where 0 is most images' background). The rectangle covers a fraction
 * of the image area drawn uniformly from [{@code minArea}, {@code maxArea}], with a
 * height-to-width ratio drawn log-uniformly from [{@code minAspect}, {@code maxAspect}], at a
 * uniformly random place where it fits; after 10 draws that do not fit, the image is left as
 * it is. Immutable and thread-safe.
 */
public final class RandomErasing implements Augmentation {
    private static final int ATTEMPTS = 10;

    private final double probability;
    private final double minArea;
    private final double maxArea;
    private final double minLogAspect;
    private final double maxLogAspect;

    /**
     * Erasing with torchvision's default rectangles: 2% to 33% of the area, aspect 0.3 to 3.3.
     *
     * @throws DatasetException if {@code probability} is outside [0, 1]
     */
    public RandomErasing(double probability) {
        this(probability, 0.02, 0.33, 0.3, 3.3);
    }

    /**
     * @throws DatasetException if {@code probability} is outside [0, 1], the area fractions are
     *     not {@code 0 < minArea <= maxArea <= 1}, or the aspects not {@code 0 < minAspect <= maxAspect}
     *     and finite
     */
    public RandomErasing(double probability, double minArea, double maxArea, double minAspect, double maxAspect) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new DatasetException("erasing probability must be in [0, 1], found " + probability);
        }
        if (!(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
            throw new DatasetException("erased area fractions must satisfy 0 < min <= max <= 1, found ["
                    + minArea + ", " + maxArea + "]");
        }
        if (!(minAspect > 0 && minAspect <= maxAspect) || Double.isInfinite(maxAspect)) {
            throw new DatasetException("erased aspect ratios must be finite with 0 < min <= max, found ["
                    + minAspect + ", " + maxAspect + "]");
        }
        this.probability = probability;
        this.minArea = minArea;
        this.maxArea = maxArea;
        this.minLogAspect = Math.log(minAspect);
        this.maxLogAspect = Math.log(maxAspect);
    }

    @Override
    public void apply(float[] values, int offset, ImageShape shape, Random random) {
        // Drawn even at probability 0 or 1 so the stream, and with it later augmentations, does not depend on it.
        if (random.nextDouble() >= probability) {
            return;
        }
        int h = shape.height();
        int w = shape.width();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double area = h * w * (minArea + (maxArea - minArea) * random.nextDouble());
            double aspect = Math.exp(minLogAspect + (maxLogAspect - minLogAspect) * random.nextDouble());
            int eraseHeight = (int) Math.round(Math.sqrt(area * aspect));
            int eraseWidth = (int) Math.round(Math.sqrt(area / aspect));
            if (eraseHeight < h && eraseWidth < w) {
                int top = random.nextInt(h - eraseHeight + 1);
                int left = random.nextInt(w - eraseWidth + 1);
                erase(values, offset, shape, top, left, eraseHeight, eraseWidth);
                return;
            }
        }
    }

    private static void erase(float[] values, int offset, ImageShape shape, int top, int left, int height, int width) {
        int planeSize = shape.height() * shape.width();
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = top; y < top + height; y++) {
                int row = offset + c * planeSize + y * shape.width();
                Arrays.fill(values, row + left, row + left + width, 0f);
            }
        }
    }
}
