package dev.tern.train.data;

import dev.tern.ir.Tensor;
import dev.tern.train.data.internal.Permutations;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Batches of a {@link TextDataset}, tokenized as they are produced: each batch feeds the token
 * tensors of a {@link TextTokenizer} (padded to the batch's longest text) and int64 class
 * labels. With {@link Builder#shuffle} each epoch has its own order drawn from the seed,
 * the same for the same epoch. Does not own the tokenizer.
 *
 * <pre>{@code
 * BatchSource train = TextBatchLoader.builder(parts.train(), tokenizer, 16).shuffle(7).build();
 * }</pre>
 */
public final class TextBatchLoader implements BatchSource {
    private final TextDataset dataset;
    private final TextTokenizer tokenizer;
    private final int batchSize;
    private final Long shuffleSeed;
    private final Set<String> inputs;

    private TextBatchLoader(Builder builder) {
        this.dataset = builder.dataset;
        this.tokenizer = builder.tokenizer;
        this.batchSize = builder.batchSize;
        this.shuffleSeed = builder.shuffleSeed;
        this.inputs = builder.inputs;
    }

    /**
     * A builder for batches of {@code batchSize} texts of {@code dataset}.
     *
     * @throws DatasetException if the batch size is below 1
     */
    public static Builder builder(TextDataset dataset, TextTokenizer tokenizer, int batchSize) {
        return new Builder(dataset, tokenizer, batchSize);
    }

    @Override
    public int batchCount() {
        return (dataset.size() + batchSize - 1) / batchSize;
    }

    @Override
    public Iterable<Feed> epoch(long epoch) {
        int[] order = IntStream.range(0, dataset.size()).toArray();
        int[] epochOrder = shuffleSeed == null ? order
                : Permutations.shuffle(order, new Random(Permutations.epochSeed(shuffleSeed, epoch)));
        return () -> new Iterator<>() {
            private int position;

            @Override
            public boolean hasNext() {
                return position < epochOrder.length;
            }

            @Override
            public Feed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch finished after " + batchCount() + " batches");
                }
                int count = Math.min(batchSize, epochOrder.length - position);
                Feed feed = batch(epochOrder, position, count);
                position += count;
                return feed;
            }
        };
    }

    private Feed batch(int[] order, int start, int count) {
        List<String> texts = new ArrayList<>(count);
        long[] labels = new long[count];
        for (int j = 0; j < count; j++) {
            texts.add(dataset.text(order[start + j]));
            labels[j] = dataset.classLabel(order[start + j]);
        }
        Map<String, Tensor> tokens = tokenizer.encode(texts);
        tokens.keySet().retainAll(inputs);
        return new Feed(tokens, Tensor.ofLongs("labels", new long[] {count}, labels));
    }

    /** Configures a {@link TextBatchLoader}. Defaults: dataset order, every token tensor fed. */
    public static final class Builder {
        private static final Set<String> ALL_INPUTS = Set.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK,
                TextTokenizer.TOKEN_TYPE_IDS);

        private final TextDataset dataset;
        private final TextTokenizer tokenizer;
        private final int batchSize;
        private Long shuffleSeed;
        private Set<String> inputs = ALL_INPUTS;

        private Builder(TextDataset dataset, TextTokenizer tokenizer, int batchSize) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
            if (batchSize < 1) {
                throw new DatasetException("batch size must be at least 1, found " + batchSize);
            }
            this.batchSize = batchSize;
        }

        /** Draws a new order for every epoch from {@code seed}. */
        public Builder shuffle(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * Feeds only the token tensors named here, for models without some of them (DistilBERT
         * takes no {@value TextTokenizer#TOKEN_TYPE_IDS}).
         *
         * @throws DatasetException if a name is not one of the tokenizer's outputs
         */
        public Builder inputs(Set<String> names) {
            for (String name : names) {
                if (!ALL_INPUTS.contains(name)) {
                    throw new DatasetException("'" + name + "' is not a token tensor; choose from " + ALL_INPUTS);
                }
            }
            this.inputs = Set.copyOf(names);
            return this;
        }

        public TextBatchLoader build() {
            return new TextBatchLoader(this);
        }
    }
}
