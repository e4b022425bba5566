package dev.tern.train.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {
    /** Example i has the single feature i, so a view's order can be read off its features. */
    static Dataset numbered(int count, int classes) {
        float[] features = new float[count];
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            features[i] = i;
            labels[i] = i % classes;
        }
        List<String> names = IntStream.range(0, classes).mapToObj(c -> "c" + c).toList();
        return Dataset.ofClassLabels(features, new long[] {1}, labels, names);
    }

    static int[] ids(Dataset data) {
        return IntStream.range(0, data.size()).map(i -> (int) data.features(i)[0]).toArray();
    }

    @Test
    void shuffleIsAReproduciblePermutation() {
        Dataset data = numbered(100, 3);

        int[] first = ids(data.shuffled(7));
        int[] again = ids(data.shuffled(7));
        int[] other = ids(data.shuffled(8));

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
        assertFalse(Arrays.equals(first, ids(data)));
        assertArrayEquals(ids(data), Arrays.stream(first).sorted().toArray());
        // Labels travel with their features.
        Dataset shuffled = data.shuffled(7);
        for (int i = 0; i < shuffled.size(); i++) {
            assertEquals(first[i] % 3, shuffled.classLabel(i));
        }
    }

    @Test
    void splitSizesAndDisjointParts() {
        Dataset data = numbered(101, 4);

        Split split = data.split(0.2, 3);

        assertEquals(20, split.validation().size());
        assertEquals(81, split.train().size());
        int[] all = IntStream.concat(Arrays.stream(ids(split.train())), Arrays.stream(ids(split.validation())))
                .sorted().toArray();
        assertArrayEquals(ids(data), all);
        assertArrayEquals(ids(split.validation()), ids(data.split(0.2, 3).validation()));
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        Dataset data = numbered(200, 4);

        Split split = data.splitStratified(0.25, 11);

        int[] perClass = new int[4];
        for (int i = 0; i < split.validation().size(); i++) {
            perClass[(int) split.validation().classLabel(i)]++;
        }
        assertArrayEquals(new int[] {13, 13, 13, 13}, perClass); // round(0.25 * 50) each
        assertEquals(200 - 52, split.train().size());
    }

    @Test
    void fractionThatEmptiesAPartIsRefused() {
        Dataset data = numbered(3, 1);

        assertThrows(DatasetException.class, () -> data.split(0.1, 1));
        assertThrows(DatasetException.class, () -> data.split(1.0, 1));
        assertThrows(DatasetException.class, () -> data.splitStratified(0.9, 1));
    }

    @Test
    void labelOutsideClassesIsRefused() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> Dataset.ofClassLabels(new float[2], new long[] {1}, new long[] {0, 2}, List.of("a", "b")));
        assertEquals("example 1: class index 2 is outside [0, 2)", e.getMessage());
    }
}
