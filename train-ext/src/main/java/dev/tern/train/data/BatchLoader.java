package dev.tern.train.data;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.train.data.internal.Permutations;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Cuts a {@link Dataset} into mini-batches of IR tensors over direct buffers, ready to feed an
 * executor. Each epoch may reshuffle (seeded by the loader's seed and the epoch number, so a
 * resumed run sees the same order) and augment the examples; normalization is applied after
 * augmentation, and {@link Mixup} blends whole batches last.
 *
 * <pre>{@code
 * BatchLoader loader = BatchLoader.builder(split.train(), 64)
 *         .shuffle(42)
 *         .augmentations(7, new RandomShift(1))
 *         .normalization(Normalization.divideBy(16))
 *         .build();
 * for (Batch batch : loader.epoch(epoch)) { ... }
 * }</pre>
 *
 * <p>Features are float32, or with {@link Builder#tokenIds()} int64 token ids for models that
 * look them up (Gather into an embedding) rather than cast them.
 *
 * <p>The loader owns one feature and one label buffer and refills them for every batch: a
 * {@link Batch} is valid only until the next one is produced, and only one epoch should be
 * iterated at a time. Not thread-safe.
 */
public final class BatchLoader {
    /** The largest whole number float32 storage holds exactly, 2^24. */
    private static final int MAX_EXACT_TOKEN_ID = 1 << 24;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean dropLast;
    private final Long shuffleSeed;
    private final long augmentationSeed;
    private final List<Augmentation> augmentations;
    private final ImageShape imageShape;
    private final Normalization normalization;
    private final boolean floatLabels;
    private final Mixup mixup;
    private final long mixupSeed;
    private final boolean tokenIds;
    private final float[] featureScratch;
    private final ByteBuffer featureBuffer;
    private final ByteBuffer labelBuffer;
    private final float[] targetScratch;

    private BatchLoader(Builder builder) {
        this.dataset = builder.dataset;
        this.batchSize = builder.batchSize;
        this.dropLast = builder.dropLast;
        this.shuffleSeed = builder.shuffleSeed;
        this.augmentationSeed = builder.augmentationSeed;
        this.augmentations = List.copyOf(builder.augmentations);
        this.imageShape = augmentations.isEmpty() ? null : ImageShape.of(dataset.featureShape());
        this.normalization = builder.normalization;
        this.mixup = builder.mixup;
        this.mixupSeed = builder.mixupSeed;
        this.tokenIds = builder.tokenIds;
        this.floatLabels = dataset.labelKind() == LabelKind.TARGET || builder.oneHotLabels || mixup != null;
        this.featureScratch = new float[batchSize * dataset.featureSize()];
        this.featureBuffer = direct(featureScratch.length * (tokenIds ? 8L : 4L));
        this.targetScratch = new float[floatLabels ? batchSize * labelRowSize() : 0];
        this.labelBuffer = direct(floatLabels ? targetScratch.length * 4L : batchSize * 8L);
    }

    /** The floats in one example's label row: its target, or its one-hot class row. */
    private int labelRowSize() {
        return dataset.labelKind() == LabelKind.TARGET ? dataset.targetSize() : dataset.classCount();
    }

    /**
     * A builder for batches of {@code batchSize} examples of {@code dataset}.
     *
     * @throws DatasetException if the batch size is below 1
     */
    public static Builder builder(Dataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    /** The number of batches one epoch yields. */
    public int batchCount() {
        int full = dataset.size() / batchSize;
        return dropLast || dataset.size() % batchSize == 0 ? full : full + 1;
    }

    /**
     * The batches of epoch {@code epoch} (counted from 0). Iterating the same epoch again gives
     * the same batches; each batch overwrites the previous one's buffers.
     */
    public Iterable<Batch> epoch(long epoch) {
        return () -> new EpochIterator(epoch);
    }

    /** These batches as a {@link BatchSource} whose features feed the model input {@code inputName}. */
    public BatchSource feeding(String inputName) {
        Objects.requireNonNull(inputName, "inputName");
        return new BatchSource() {
            @Override
            public int batchCount() {
                return BatchLoader.this.batchCount();
            }

            @Override
            public Iterable<Feed> epoch(long epoch) {
                Iterable<Batch> batches = BatchLoader.this.epoch(epoch);
                return () -> new MappingIterator(batches.iterator(), inputName);
            }
        };
    }

    private int[] epochOrder(long epoch) {
        int[] identity = IntStream.range(0, dataset.size()).toArray();
        if (shuffleSeed == null) {
            return identity;
        }
        return Permutations.shuffle(identity, new Random(Permutations.epochSeed(shuffleSeed, epoch)));
    }

    private Batch fill(int[] order, int start, int count, Random random, Random mixupRandom) {
        int featureSize = dataset.featureSize();
        for (int j = 0; j < count; j++) {
            int offset = j * featureSize;
            dataset.copyFeatures(order[start + j], featureScratch, offset);
            for (Augmentation augmentation : augmentations) {
                augmentation.apply(featureScratch, offset, imageShape, random);
            }
            normalization.apply(featureScratch, offset, featureSize);
        }
        if (!floatLabels) {
            return new Batch(features(order, start, count), classLabels(order, start, count));
        }
        fillLabelRows(order, start, count);
        if (mixup != null) {
            mixup.mix(featureScratch, featureSize, targetScratch, labelRowSize(), count, mixupRandom);
        }
        return new Batch(features(order, start, count), labelRows(count));
    }

    /** The batch's features: float32, or int64 token ids when the loader makes those. */
    private Tensor features(int[] order, int start, int count) {
        int featureSize = dataset.featureSize();
        long[] featureDims = withBatch(count, dataset.featureShape());
        if (tokenIds) {
            putTokenIds(order, start, count * featureSize);
            return Tensor.of("features", ElementType.INT64, featureDims, featureBuffer.slice(0, count * featureSize * 8));
        }
        featureBuffer.asFloatBuffer().put(0, featureScratch, 0, count * featureSize);
        return Tensor.of("features", ElementType.FLOAT, featureDims, featureBuffer.slice(0, count * featureSize * 4));
    }

    /** The first {@code elements} features as int64, each checked to be a token id. */
    private void putTokenIds(int[] order, int start, int elements) {
        int featureSize = dataset.featureSize();
        for (int i = 0; i < elements; i++) {
            float value = featureScratch[i];
            if (value < 0 || value != Math.rint(value) || value > MAX_EXACT_TOKEN_ID) {
                throw new DatasetException("example " + order[start + i / featureSize] + ", feature " + i % featureSize
                        + ": " + value + " is not a token id (a whole number from 0 to " + MAX_EXACT_TOKEN_ID + ")");
            }
            featureBuffer.putLong(i * 8, (long) value);
        }
    }

    private Tensor classLabels(int[] order, int start, int count) {
        for (int j = 0; j < count; j++) {
            labelBuffer.putLong(j * 8, dataset.classLabel(order[start + j]));
        }
        return Tensor.of("labels", ElementType.INT64, new long[] {count}, labelBuffer.slice(0, count * 8));
    }

    /** Writes each example's target, or its class as a one-hot row, into the label scratch. */
    private void fillLabelRows(int[] order, int start, int count) {
        int rowSize = labelRowSize();
        if (dataset.labelKind() == LabelKind.TARGET) {
            for (int j = 0; j < count; j++) {
                dataset.copyTarget(order[start + j], targetScratch, j * rowSize);
            }
            return;
        }
        Arrays.fill(targetScratch, 0, count * rowSize, 0f);
        for (int j = 0; j < count; j++) {
            targetScratch[j * rowSize + (int) dataset.classLabel(order[start + j])] = 1f;
        }
    }

    private Tensor labelRows(int count) {
        int rowSize = labelRowSize();
        labelBuffer.asFloatBuffer().put(0, targetScratch, 0, count * rowSize);
        long[] rowShape = dataset.labelKind() == LabelKind.TARGET ? dataset.targetShape() : new long[] {rowSize};
        return Tensor.of("labels", ElementType.FLOAT, withBatch(count, rowShape), labelBuffer.slice(0, count * rowSize * 4));
    }

    private static long[] withBatch(int count, long[] exampleShape) {
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = count;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return dims;
    }

    private static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new DatasetException("a batch of " + bytes + " bytes does not fit one buffer; use a smaller batch size");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Walks one epoch's order batch by batch. */
    private final class EpochIterator implements Iterator<Batch> {
        private final int[] order;
        private final Random random;
        private final Random mixupRandom;
        private int position;

        EpochIterator(long epoch) {
            this.order = epochOrder(epoch);
            this.random = new Random(Permutations.epochSeed(augmentationSeed, epoch));
            this.mixupRandom = new Random(Permutations.epochSeed(mixupSeed, epoch));
        }

        @Override
        public boolean hasNext() {
            int remaining = order.length - position;
            return dropLast ? remaining >= batchSize : remaining > 0;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch finished after " + batchCount() + " batches");
            }
            int count = Math.min(batchSize, order.length - position);
            Batch batch = fill(order, position, count, random, mixupRandom);
            position += count;
            return batch;
        }
    }

    /** Options of a {@link BatchLoader}; every setter checks its argument at once. */
    public static final class Builder {
        private final Dataset dataset;
        private final int batchSize;
        private boolean dropLast;
        private Long shuffleSeed;
        private long augmentationSeed;
        private final List<Augmentation> augmentations = new ArrayList<>();
        private Normalization normalization = Normalization.none();
        private boolean oneHotLabels;
        private Mixup mixup;
        private long mixupSeed;
        private boolean normalized;
        private boolean tokenIds;

        private Builder(Dataset dataset, int batchSize) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            if (batchSize < 1) {
                throw new DatasetException("batch size must be >= 1, found " + batchSize);
            }
            this.batchSize = batchSize;
        }

        /** Reorders the examples every epoch, reproducibly from {@code seed} and the epoch number. */
        public Builder shuffle(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /** Drops the last batch of an epoch when it has fewer than the batch size examples (default: keep it). */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /** Applies {@code normalization} to every example after augmentation (default: none). */
        public Builder normalization(Normalization newNormalization) {
            this.normalization = Objects.requireNonNull(newNormalization, "normalization");
            this.normalized = true;
            return this;
        }

        /**
         * Applies these augmentations, in order, to every example; their randomness is drawn
         * from {@code seed} and the epoch number.
         *
         * @throws DatasetException if the data set's features are not image-shaped
         */
        public Builder augmentations(long seed, Augmentation... newAugmentations) {
            ImageShape.of(dataset.featureShape()); // fails here, naming the shape, rather than mid-epoch
            this.augmentationSeed = seed;
            this.augmentations.addAll(List.of(newAugmentations));
            return this;
        }

        /**
         * Gives class labels as float one-hot rows {@code [size, classes]} instead of int64
         * indices {@code [size]}: the labels of {@link dev.tern.train.Loss#softCrossEntropy()},
         * for instance to validate a model trained with {@link #mixup}. Float targets are unchanged.
         */
        public Builder oneHotLabels() {
            this.oneHotLabels = true;
            return this;
        }

        /**
         * Makes the features int64 token ids, for models that look them up in an embedding.
         * Each must be a whole number from 0 to 2^24 (the data set stores float32, which holds
         * those exactly); a batch holding another value fails, naming the example and feature.
         */
        public Builder tokenIds() {
            this.tokenIds = true;
            return this;
        }

        /**
         * Blends every batch with {@code newMixup}, drawing its weights and partners from
         * {@code seed} and the epoch number (apart from the augmentations' draws). Class labels
         * become float one-hot rows first, as with {@link #oneHotLabels()}.
         */
        public Builder mixup(long seed, Mixup newMixup) {
            this.mixup = Objects.requireNonNull(newMixup, "mixup");
            this.mixupSeed = seed;
            return this;
        }

        /**
         * The loader; it allocates its batch buffers now.
         *
         * @throws DatasetException if token ids are asked for together with augmentations or a
         *     normalization, which would change the ids, or with mixup, which blends them
         */
        public BatchLoader build() {
            if (tokenIds && (!augmentations.isEmpty() || normalized || mixup != null)) {
                throw new DatasetException("token ids cannot be augmented, mixed or normalized; drop the augmentations,"
                        + " the mixup and the normalization, or the token ids");
            }
            return new BatchLoader(this);
        }
    }

    /** A batch iterator's batches as feeds of one input. */
    private record MappingIterator(Iterator<Batch> batches, String inputName) implements Iterator<Feed> {
        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public Feed next() {
            Batch batch = batches.next();
            return new Feed(Map.of(inputName, batch.features()), batch.labels());
        }
    }
}
