package dev.tern.train.data;

import dev.tern.train.data.internal.Permutations;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Labelled texts for sequence classification: each example is a string and a class index.
 * Like {@link Dataset}, the examples are stored once and a data set is a view of them in some
 * order; {@link #shuffled} and {@link #splitStratified} make new views without copying.
 * Immutable and safe to share between threads. {@link TextDatasetReader} reads one from a
 * file; {@link TextBatchLoader} tokenizes it into batches.
 */
public final class TextDataset {
    private final List<String> texts;
    private final long[] labels;
    private final List<String> classNames;
    private final int[] order;

    private TextDataset(List<String> texts, long[] labels, List<String> classNames, int[] order) {
        this.texts = texts;
        this.labels = labels;
        this.classNames = classNames;
        this.order = order;
    }

    /**
     * A data set of {@code texts} whose class indices are {@code labels}. Takes ownership of
     * {@code labels}: it is not copied and must not be changed afterwards.
     *
     * @param classNames the name of each class index, in index order
     * @throws DatasetException if the counts disagree, there are fewer than 2 classes, or a
     *     label is outside {@code [0, classNames.size())}
     */
    public static TextDataset of(List<String> texts, long[] labels, List<String> classNames) {
        List<String> textCopy = List.copyOf(texts);
        List<String> names = List.copyOf(classNames);
        if (textCopy.size() != labels.length) {
            throw new DatasetException(textCopy.size() + " texts but " + labels.length + " labels");
        }
        if (names.size() < 2) {
            throw new DatasetException("a classification data set needs at least 2 classes, found " + names);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new DatasetException("label " + labels[i] + " of example " + i + " is outside [0, "
                        + names.size() + ")");
            }
        }
        return new TextDataset(textCopy, labels, names, IntStream.range(0, labels.length).toArray());
    }

    /** The number of examples. */
    public int size() {
        return order.length;
    }

    /** The text of example {@code index}. */
    public String text(int index) {
        return texts.get(order[index]);
    }

    /** The class index of example {@code index}. */
    public long classLabel(int index) {
        return labels[order[index]];
    }

    /** The class names in index order. */
    public List<String> classNames() {
        return classNames;
    }

    public int classCount() {
        return classNames.size();
    }

    /** The same examples in an order drawn from {@code seed}. */
    public TextDataset shuffled(long seed) {
        return reordered(Permutations.shuffle(order, new Random(seed)));
    }

    /**
     * Takes {@code validationFraction} of each class (rounded) for validation, drawn with
     * {@code seed}, so both parts keep the class proportions of the whole.
     *
     * @throws DatasetException if the fraction is not strictly between 0 and 1 or leaves a part empty
     */
    public Parts splitStratified(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new DatasetException("validation fraction must be strictly between 0 and 1, found " + validationFraction);
        }
        int[][] byClass = StratifiedSplit.byClass(order, labels, classCount());
        StratifiedSplit parts = StratifiedSplit.of(byClass, validationFraction, new Random(seed));
        if (parts.train().length == 0 || parts.validation().length == 0) {
            throw new DatasetException("validation fraction " + validationFraction + " of " + order.length
                    + " examples leaves the training or validation part empty");
        }
        return new Parts(reordered(parts.train()), reordered(parts.validation()));
    }

    private TextDataset reordered(int[] newOrder) {
        return new TextDataset(texts, labels, classNames, newOrder);
    }

    /** A data set divided into a training and a validation part with no example in both. */
    public record Parts(TextDataset train, TextDataset validation) {
        public Parts {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
        }
    }
}
