package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.models.ModelTemplates;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * The columns the parameter groups of a {@link GanTraining} read from a batch of real examples:
 * the examples as {@value ModelTemplates#INPUT}, standard normal noise as
 * {@value ModelTemplates#LATENT}, and the constant targets {@value #ONES} and {@value #ZEROS}
 * of the adversarial losses.
 */
final class GanColumns {
    static final String ONES = "ones";
    static final String ZEROS = "zeros";

    private final int noiseWidth;

    GanColumns(int noiseWidth) {
        this.noiseWidth = noiseWidth;
    }

    /**
     * The columns of {@code feed}, its noise drawn from {@code noise}.
     *
     * @throws TrainingException if the batch does not feed {@value ModelTemplates#INPUT}
     */
    Map<String, Tensor> of(Feed feed, Random noise) {
        Tensor examples = feed.inputs().get(ModelTemplates.INPUT);
        if (examples == null) {
            throw new TrainingException("a GAN's batches feed its real examples to input '"
                    + ModelTemplates.INPUT + "', found inputs " + feed.inputs().keySet());
        }
        int size = feed.size();
        Map<String, Tensor> columns = new HashMap<>();
        columns.put(ModelTemplates.INPUT, examples);
        columns.put(ONES, filled(ONES, size, 1f));
        columns.put(ZEROS, filled(ZEROS, size, 0f));
        columns.put(ModelTemplates.LATENT, noise(noise, size));
        return columns;
    }

    /** A batch of {@code rows} noise vectors drawn from {@code random}. */
    Tensor noise(Random random, int rows) {
        float[] values = new float[rows * noiseWidth];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(ModelTemplates.LATENT, new long[] {rows, noiseWidth}, values);
    }

    /**
     * {@code real}'s batches with every column as inputs, their noise drawn from {@code seed}
     * afresh on each pass, so every epoch's validation sees the same noise.
     */
    BatchSource validation(BatchSource real, long seed) {
        return new BatchSource() {
            @Override
            public int batchCount() {
                return real.batchCount();
            }

            @Override
            public Iterable<Feed> epoch(long epoch) {
                return () -> withColumns(real.epoch(epoch).iterator(), new Random(seed));
            }
        };
    }

    private Iterator<Feed> withColumns(Iterator<Feed> batches, Random noise) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public Feed next() {
                Feed batch = batches.next();
                return new Feed(of(batch, noise), batch.labels());
            }
        };
    }

    private static Tensor filled(String name, int rows, float value) {
        float[] values = new float[rows];
        Arrays.fill(values, value);
        return Tensor.ofFloats(name, new long[] {rows, 1}, values);
    }
}
