package dev.tern.train.data;

import java.util.ArrayList;
import java.util.List;

/** Class names for files whose labels are bare indices: "0", "1", ... up to the largest index. */
final class NumberedClasses {
    /** A guard against reading a feature column as labels: one class name per index is made. */
    private static final long MAX_CLASSES = 1 << 20;

    private NumberedClasses() {
    }

    /**
     * A classification data set whose class count is the largest label plus one.
     *
     * @throws DatasetException naming {@code source} if a label is negative or implausibly large
     */
    static Dataset dataset(float[] features, long[] featureShape, long[] classes, Object source) {
        long largest = 0;
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0) {
                throw new DatasetException(source + ": label of example " + i + " is " + classes[i]
                        + ", class indices must be >= 0");
            }
            largest = Math.max(largest, classes[i]);
        }
        if (largest >= MAX_CLASSES) {
            throw new DatasetException(source + ": class label " + largest + " implies more than " + MAX_CLASSES
                    + " classes; is the label column right?");
        }
        return Dataset.ofClassLabels(features, featureShape, classes, names((int) largest + 1));
    }

    /** The names "0", "1", ... of {@code count} numbered classes. */
    static List<String> names(int count) {
        List<String> names = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }
}
