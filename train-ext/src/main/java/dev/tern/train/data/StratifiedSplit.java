package dev.tern.train.data;

import dev.tern.train.data.internal.Permutations;

import java.util.Arrays;
import java.util.Random;

/** The storage indices of a stratified split: each class is shuffled and divided on its own. */
record StratifiedSplit(int[] train, int[] validation) {

    /** The entries of {@code order} grouped by class, each group in its original order. */
    static int[][] byClass(int[] order, long[] classes, int classCount) {
        int[] counts = new int[classCount];
        for (int index : order) {
            counts[(int) classes[index]]++;
        }
        int[][] groups = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            groups[c] = new int[counts[c]];
        }
        int[] filled = new int[classCount];
        for (int index : order) {
            int c = (int) classes[index];
            groups[c][filled[c]++] = index;
        }
        return groups;
    }

    /**
     * Takes the rounded {@code fraction} of each group for validation; both parts are shuffled
     * once more so that classes are interleaved rather than in blocks.
     */
    static StratifiedSplit of(int[][] groups, double fraction, Random random) {
        int total = Arrays.stream(groups).mapToInt(g -> g.length).sum();
        int[] train = new int[total];
        int[] validation = new int[total];
        int trainCount = 0;
        int validationCount = 0;
        for (int[] group : groups) {
            int[] shuffled = Permutations.shuffle(group, random);
            int take = (int) Math.round(fraction * shuffled.length);
            System.arraycopy(shuffled, 0, validation, validationCount, take);
            validationCount += take;
            System.arraycopy(shuffled, take, train, trainCount, shuffled.length - take);
            trainCount += shuffled.length - take;
        }
        return new StratifiedSplit(Permutations.shuffle(Arrays.copyOf(train, trainCount), random),
                Permutations.shuffle(Arrays.copyOf(validation, validationCount), random));
    }
}
