package dev.tern.train.data;

import dev.tern.train.data.internal.Permutations;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Labelled examples: each has features of one fixed shape (for example {@code [64]} for a
 * table row or {@code [1, 8, 8]} for an image) and either a class index or a float target.
 *
 * <p>The examples are stored once, as one float array of features and one array of labels; a
 * data set is a view of that storage in some order. {@link #shuffled}, {@link #split} and
 * {@link #splitStratified} make new views without copying an example. Immutable and safe to
 * share between threads.
 *
 * <p>Readers make data sets from files: {@link CsvDatasetReader}, {@link NpyDatasetReader},
 * {@link ImageFolderReader}. {@link BatchLoader} turns one into mini-batch tensors.
 */
public final class Dataset {
    private final ExampleStorage storage;
    private final int[] order;

    private Dataset(ExampleStorage storage, int[] order) {
        this.storage = storage;
        this.order = order;
    }

    /**
     * A classification data set over {@code features}, which holds the examples one after the
     * other, each of {@code featureShape}. Takes ownership of both arrays: they are not copied
     * and must not be changed afterwards.
     *
     * @param classNames the name of each class index, in index order
     * @throws DatasetException if the counts disagree or a label is outside {@code [0, classNames.size())}
     */
    public static Dataset ofClassLabels(float[] features, long[] featureShape, long[] labels, List<String> classNames) {
        return whole(ExampleStorage.ofClasses(features, featureShape, labels, classNames));
    }

    /**
     * A regression data set: each example's target is {@code targetShape} floats, stored one
     * after the other in {@code targets}. Takes ownership of both arrays.
     *
     * @throws DatasetException if the counts disagree or a shape has a dimension below 1
     */
    public static Dataset ofTargets(float[] features, long[] featureShape, float[] targets, long[] targetShape) {
        return whole(ExampleStorage.ofTargets(features, featureShape, targets, targetShape));
    }

    private static Dataset whole(ExampleStorage storage) {
        return new Dataset(storage, IntStream.range(0, storage.count).toArray());
    }

    /** The number of examples. */
    public int size() {
        return order.length;
    }

    /** The shape of one example's features (a copy). */
    public long[] featureShape() {
        return storage.featureShape.clone();
    }

    /** The number of floats in one example's features. */
    public int featureSize() {
        return storage.featureSize;
    }

    public LabelKind labelKind() {
        return storage.labelKind;
    }

    /** The class names in index order; empty for a {@link LabelKind#TARGET} data set. */
    public List<String> classNames() {
        return storage.classNames;
    }

    /** The number of classes; 0 for a {@link LabelKind#TARGET} data set. */
    public int classCount() {
        return storage.classNames.size();
    }

    /**
     * The shape of one example's target (a copy).
     *
     * @throws DatasetException if the labels are class indices
     */
    public long[] targetShape() {
        requireKind(LabelKind.TARGET);
        return storage.targetShape.clone();
    }

    /** The number of floats in one example's target; 0 for class labels. */
    public int targetSize() {
        return storage.targetSize;
    }

    /**
     * Copies the features of example {@code index} into {@code destination} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the index or the destination range is out of bounds
     */
    public void copyFeatures(int index, float[] destination, int offset) {
        int size = storage.featureSize;
        System.arraycopy(storage.features, order[index] * size, destination, offset, size);
    }

    /** A copy of the features of example {@code index}. */
    public float[] features(int index) {
        float[] values = new float[storage.featureSize];
        copyFeatures(index, values, 0);
        return values;
    }

    /**
     * The class index of example {@code index}.
     *
     * @throws DatasetException if the labels are float targets
     */
    public long classLabel(int index) {
        requireKind(LabelKind.CLASS_INDEX);
        return storage.classes[order[index]];
    }

    /**
     * Copies the target of example {@code index} into {@code destination} from {@code offset}.
     *
     * @throws DatasetException if the labels are class indices
     */
    public void copyTarget(int index, float[] destination, int offset) {
        requireKind(LabelKind.TARGET);
        int size = storage.targetSize;
        System.arraycopy(storage.targets, order[index] * size, destination, offset, size);
    }

    /** The same examples in an order drawn from {@code seed}: the same seed gives the same order. */
    public Dataset shuffled(long seed) {
        return reordered(Permutations.shuffle(order, new Random(seed)));
    }

    /**
     * Shuffles with {@code seed}, then puts the first {@code validationFraction} of the examples
     * (rounded to the nearest count) in the validation part and the rest in the training part.
     *
     * @throws DatasetException if the fraction is not strictly between 0 and 1 or leaves a part empty
     */
    public Split split(double validationFraction, long seed) {
        int[] shuffled = Permutations.shuffle(order, new Random(seed));
        int validationCount = validationCount(validationFraction, shuffled.length);
        return new Split(reordered(slice(shuffled, validationCount, shuffled.length)),
                reordered(slice(shuffled, 0, validationCount)));
    }

    /**
     * Like {@link #split}, but takes {@code validationFraction} of each class separately, so
     * both parts keep the class proportions of the whole.
     *
     * @throws DatasetException if the labels are not class indices, or the fraction is not
     *     strictly between 0 and 1 or leaves a part empty
     */
    public Split splitStratified(double validationFraction, long seed) {
        requireKind(LabelKind.CLASS_INDEX);
        validationCount(validationFraction, order.length);
        int[][] byClass = StratifiedSplit.byClass(order, storage.classes, classCount());
        StratifiedSplit parts = StratifiedSplit.of(byClass, validationFraction, new Random(seed));
        if (parts.train().length == 0 || parts.validation().length == 0) {
            throw new DatasetException("validation fraction " + validationFraction + " of " + order.length
                    + " examples leaves the training or validation part empty");
        }
        return new Split(reordered(parts.train()), reordered(parts.validation()));
    }

    private int validationCount(double fraction, int total) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DatasetException("validation fraction must be strictly between 0 and 1, found " + fraction);
        }
        int count = (int) Math.round(fraction * total);
        if (count == 0 || count == total) {
            throw new DatasetException("validation fraction " + fraction + " of " + total
                    + " examples leaves the training or validation part empty");
        }
        return count;
    }

    private Dataset reordered(int[] newOrder) {
        return new Dataset(storage, newOrder);
    }

    private static int[] slice(int[] values, int from, int to) {
        int[] part = new int[to - from];
        System.arraycopy(values, from, part, 0, part.length);
        return part;
    }

    private void requireKind(LabelKind expected) {
        if (storage.labelKind != expected) {
            throw new DatasetException("the data set's labels are " + storage.labelKind + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        String labels = storage.labelKind == LabelKind.CLASS_INDEX
                ? classCount() + " classes"
                : "targets " + Shapes.format(storage.targetShape);
        return "Dataset(" + size() + " examples, features " + Shapes.format(storage.featureShape) + ", " + labels + ")";
    }
}
