package dev.tern.train.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {
    private static final ImageShape SHAPE = new ImageShape(2, 5, 6);

    /** Every pixel distinct and non-zero, so a shifted copy matches exactly one offset. */
    private static float[] distinctImage() {
        float[] image = new float[SHAPE.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        return image;
    }

    /** The image moved by (dy, dx) with zeros filled in, computed pixel by pixel. */
    private static float[] moved(float[] image, int dy, int dx) {
        float[] result = new float[image.length];
        int h = SHAPE.height();
        int w = SHAPE.width();
        for (int c = 0; c < SHAPE.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    result[c * h * w + y * w + x] = inside ? image[c * h * w + sy * w + sx] : 0;
                }
            }
        }
        return result;
    }

    @Test
    void shiftMovesTheImageWithZeroFill() {
        float[] original = distinctImage();
        int nonZeroShifts = 0;
        for (int seed = 0; seed < 40; seed++) {
            float[] shifted = original.clone();
            new RandomShift(2).apply(shifted, 0, SHAPE, new Random(seed));
            int matches = 0;
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    if (Arrays.equals(shifted, moved(original, dy, dx))) {
                        matches++;
                        nonZeroShifts += dy != 0 || dx != 0 ? 1 : 0;
                    }
                }
            }
            assertEquals(1, matches, "seed " + seed);
        }
        assertTrue(nonZeroShifts > 20, "only " + nonZeroShifts + " of 40 shifts moved the image");
    }

    @Test
    void shiftWorksInsideALargerArray() {
        float[] batch = new float[SHAPE.size() * 2];
        float[] image = distinctImage();
        System.arraycopy(image, 0, batch, SHAPE.size(), SHAPE.size());
        Random random = new Random(3);

        new RandomShift(1).apply(batch, SHAPE.size(), SHAPE, random);

        assertArrayEquals(new float[SHAPE.size()], Arrays.copyOf(batch, SHAPE.size()));
        float[] second = Arrays.copyOfRange(batch, SHAPE.size(), batch.length);
        Random replay = new Random(3);
        int dy = replay.nextInt(3) - 1;
        int dx = replay.nextInt(3) - 1;
        assertArrayEquals(moved(image, dy, dx), second);
    }

    @Test
    void flipMirrorsEachRow() {
        float[] image = distinctImage();

        new HorizontalFlip(1).apply(image, 0, SHAPE, new Random(1));

        int w = SHAPE.width();
        for (int row = 0; row < SHAPE.channels() * SHAPE.height(); row++) {
            for (int x = 0; x < w; x++) {
                assertEquals(row * w + (w - 1 - x) + 1, image[row * w + x]);
            }
        }
    }

    @Test
    void flipWithProbabilityZeroKeepsTheImage() {
        float[] image = distinctImage();
        new HorizontalFlip(0).apply(image, 0, SHAPE, new Random(1));
        assertArrayEquals(distinctImage(), image);
    }

    @Test
    void noiseHasTheRequestedSpread() {
        ImageShape big = new ImageShape(1, 100, 100);
        float[] image = new float[big.size()];

        new GaussianNoise(0.5f).apply(image, 0, big, new Random(9));

        double mean = 0;
        double squares = 0;
        for (float v : image) {
            mean += v;
            squares += v * v;
        }
        mean /= image.length;
        double std = Math.sqrt(squares / image.length - mean * mean);
        // 10,000 samples: the mean's standard error is 0.005, the std's about 0.0035.
        assertEquals(0, mean, 0.02);
        assertEquals(0.5, std, 0.02);
    }

    @Test
    void augmentedBatchesAreReproducibleBySeed() {
        Dataset images = Dataset.ofClassLabels(distinctImage(), new long[] {2, 5, 6}, new long[] {0}, List.of("a"));
        Augmentation[] pipeline = {new RandomShift(1), new HorizontalFlip(0.5), new GaussianNoise(0.1f)};

        float[] first = firstBatch(BatchLoader.builder(images, 1).augmentations(4, pipeline).build(), 0);
        float[] again = firstBatch(BatchLoader.builder(images, 1).augmentations(4, pipeline).build(), 0);
        float[] otherSeed = firstBatch(BatchLoader.builder(images, 1).augmentations(5, pipeline).build(), 0);
        float[] otherEpoch = firstBatch(BatchLoader.builder(images, 1).augmentations(4, pipeline).build(), 1);

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, otherSeed));
        assertFalse(Arrays.equals(first, otherEpoch));
        assertArrayEquals(distinctImage(), images.features(0));
    }

    private static float[] firstBatch(BatchLoader loader, long epoch) {
        return loader.epoch(epoch).iterator().next().features().toFloatArray();
    }
}
