package dev.tern.train.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RandomAffine} and {@link RandomErasing} on small hand-made images whose right answer is worked out by hand. */
class GeometricAugmentationTest {
    private static final ImageShape THREE_BY_THREE = new ImageShape(1, 3, 3);
    private static final float[] PATTERN = {
        1, 2, 3,
        4, 5, 6,
        7, 8, 9};

    private static float[] transformed(RandomAffine affine, float[] image, ImageShape shape) {
        float[] result = image.clone();
        affine.apply(result, 0, shape, new Random(1));
        return result;
    }

    @Test
    void rotatingByNinetyDegreesTurnsThePatternCounterClockwise() {
        float[] turned = transformed(RandomAffine.builder().rotation(90, 90).build(), PATTERN, THREE_BY_THREE);
        assertArrayEquals(new float[] {
            3, 6, 9,
            2, 5, 8,
            1, 4, 7}, turned, 1e-5f);
    }

    @Test
    void rotatingByMinusNinetyDegreesTurnsItClockwise() {
        float[] turned = transformed(RandomAffine.builder().rotation(-90, -90).build(), PATTERN, THREE_BY_THREE);
        assertArrayEquals(new float[] {
            7, 4, 1,
            8, 5, 2,
            9, 6, 3}, turned, 1e-5f);
    }

    @Test
    void scaleOneWithoutRotationOrShearIsTheIdentity() {
        RandomAffine identity = RandomAffine.builder().rotation(0).scale(1, 1).shear(0).build();
        ImageShape shape = new ImageShape(2, 4, 5);
        float[] image = new float[shape.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = i * 0.5f - 3;
        }
        assertArrayEquals(image, transformed(identity, image, shape));
    }

    @Test
    void doublingTheScaleSamplesHalfwayToTheCentre() {
        ImageShape row = new ImageShape(1, 1, 5);
        float[] image = {10, 20, 30, 40, 50};
        float[] enlarged = transformed(RandomAffine.builder().scale(2, 2).build(), image, row);
        // Output x reads input 2 + (x - 2) / 2: 1, 1.5, 2, 2.5, 3.
        assertArrayEquals(new float[] {20, 25, 30, 35, 40}, enlarged, 1e-5f);
    }

    @Test
    void halvingTheScaleLeavesZerosAroundTheShrunkImage() {
        ImageShape row = new ImageShape(1, 1, 5);
        float[] image = {10, 20, 30, 40, 50};
        float[] shrunk = transformed(RandomAffine.builder().scale(0.5, 0.5).build(), image, row);
        // Output x reads input 2 + 2 (x - 2): -2 and 6 lie outside, 0 and 4 are the ends.
        assertArrayEquals(new float[] {0, 10, 30, 50, 0}, shrunk, 1e-5f);
    }

    @Test
    void shearingByFortyFiveDegreesMovesEachRowByItsDistanceFromTheCentre() {
        float[] sheared = transformed(RandomAffine.builder().shear(45, 45).build(), PATTERN, THREE_BY_THREE);
        assertArrayEquals(new float[] {
            2, 3, 0,
            4, 5, 6,
            0, 7, 8}, sheared, 1e-5f);
    }

    @Test
    void randomAnglesAreReproducibleBySeedAndTheSameForEveryChannel() {
        RandomAffine affine = RandomAffine.builder().rotation(30).scale(0.8, 1.2).build();
        ImageShape shape = new ImageShape(2, 6, 6);
        float[] image = new float[shape.size()];
        for (int i = 0; i < 36; i++) {
            image[i] = i;
            image[36 + i] = 2 * i;
        }
        float[] first = image.clone();
        affine.apply(first, 0, shape, new Random(7));
        float[] again = image.clone();
        affine.apply(again, 0, shape, new Random(7));
        float[] other = image.clone();
        affine.apply(other, 0, shape, new Random(8));

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
        for (int i = 0; i < 36; i++) {
            assertEquals(2 * first[i], first[36 + i], 1e-4f, "pixel " + i);
        }
    }

    @Test
    void badAffineRangesAreRefusedWithTheirValues() {
        assertTrue(assertThrows(DatasetException.class, () -> RandomAffine.builder().rotation(-1)).getMessage()
                .contains("-1.0"));
        assertTrue(assertThrows(DatasetException.class, () -> RandomAffine.builder().scale(0, 1)).getMessage()
                .contains("found 0.0"));
        assertTrue(assertThrows(DatasetException.class, () -> RandomAffine.builder().scale(1.2, 0.8)).getMessage()
                .contains("[1.2, 0.8]"));
        assertThrows(DatasetException.class, () -> RandomAffine.builder().shear(90));
    }

    @Test
    void erasingZeroesOneRectangleInsideTheImageInEveryChannel() {
        ImageShape shape = new ImageShape(2, 10, 12);
        RandomErasing erasing = new RandomErasing(1, 0.1, 0.3, 0.5, 2);
        int erasedImages = 0;
        for (int seed = 0; seed < 50; seed++) {
            float[] image = new float[shape.size()];
            Arrays.fill(image, 1);
            erasing.apply(image, 0, shape, new Random(seed));

            int[] box = zeroBoundingBox(image, 0, shape);
            if (box == null) {
                continue;
            }
            erasedImages++;
            int area = 0;
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    boolean inside = y >= box[0] && y <= box[2] && x >= box[1] && x <= box[3];
                    int index = y * shape.width() + x;
                    assertEquals(inside ? 0 : 1, image[index], "seed " + seed + " pixel " + y + "," + x);
                    assertEquals(image[index], image[120 + index], "channels differ, seed " + seed);
                    area += inside ? 1 : 0;
                }
            }
            // The rectangle's sides are rounded, so its area may stray from the drawn fraction by a side's length.
            assertTrue(area >= 0.1 * 120 - 12 && area <= 0.3 * 120 + 12, "seed " + seed + " erased " + area + " pixels");
        }
        assertTrue(erasedImages >= 45, "only " + erasedImages + " of 50 images erased");
    }

    @Test
    void erasingWithProbabilityZeroKeepsTheImage() {
        float[] image = PATTERN.clone();
        new RandomErasing(0).apply(image, 0, THREE_BY_THREE, new Random(2));
        assertArrayEquals(PATTERN, image);
    }

    @Test
    void badErasingArgumentsAreRefused() {
        assertThrows(DatasetException.class, () -> new RandomErasing(1.5));
        assertThrows(DatasetException.class, () -> new RandomErasing(0.5, 0.3, 0.1, 0.3, 3.3));
        assertThrows(DatasetException.class, () -> new RandomErasing(0.5, 0.02, 0.33, 0, 3.3));
    }

    /** {top, left, bottom, right} (inclusive) of the zeros in channel 0, or null if there are none. */
    private static int[] zeroBoundingBox(float[] image, int offset, ImageShape shape) {
        int[] box = null;
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                if (image[offset + y * shape.width() + x] == 0) {
                    box = box == null ? new int[] {y, x, y, x}
                            : new int[] {Math.min(box[0], y), Math.min(box[1], x), Math.max(box[2], y), Math.max(box[3], x)};
                }
            }
        }
        return box;
    }
}
