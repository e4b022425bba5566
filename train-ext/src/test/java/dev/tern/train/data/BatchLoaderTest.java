package dev.tern.train.data;

import dev.tern.ir.ElementType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchLoaderTest {
    @Test
    void batchesHaveShapesTypesAndKeepTheLastPartialOne() {
        Dataset data = DatasetTest.numbered(10, 3);
        BatchLoader loader = BatchLoader.builder(data, 4).build();

        List<long[]> featureDims = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (Batch batch : loader.epoch(0)) {
            assertTrue(batch.features().data().isDirect());
            assertEquals(ElementType.FLOAT, batch.features().elementType());
            assertEquals(ElementType.INT64, batch.labels().elementType());
            assertArrayEquals(new long[] {batch.size()}, batch.labels().dims());
            featureDims.add(batch.features().dims());
            for (long label : batch.labels().toLongArray()) {
                labels.add(label);
            }
        }

        assertEquals(3, loader.batchCount());
        assertArrayEquals(new long[] {4, 1}, featureDims.get(0));
        assertArrayEquals(new long[] {2, 1}, featureDims.get(2));
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L, 2L, 0L), labels);
    }

    @Test
    void dropLastDropsThePartialBatch() {
        BatchLoader loader = BatchLoader.builder(DatasetTest.numbered(10, 3), 4).dropLast(true).build();

        int batches = 0;
        for (Batch batch : loader.epoch(0)) {
            assertEquals(4, batch.size());
            batches++;
        }

        assertEquals(2, batches);
        assertEquals(2, loader.batchCount());
    }

    @Test
    void shuffledEpochsDifferButRepeat() {
        BatchLoader loader = BatchLoader.builder(DatasetTest.numbered(50, 2), 50).shuffle(5).build();

        float[] epoch0 = loader.epoch(0).iterator().next().features().toFloatArray();
        float[] epoch1 = loader.epoch(1).iterator().next().features().toFloatArray();
        float[] epoch0Again = loader.epoch(0).iterator().next().features().toFloatArray();

        assertArrayEquals(epoch0, epoch0Again);
        assertFalse(java.util.Arrays.equals(epoch0, epoch1));
    }

    @Test
    void normalizationAppliesToBatchesNotStorage() {
        Dataset data = DatasetTest.numbered(4, 1);
        BatchLoader loader = BatchLoader.builder(data, 4).normalization(Normalization.divideBy(2)).build();

        float[] features = loader.epoch(0).iterator().next().features().toFloatArray();

        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f}, features);
        assertEquals(3f, data.features(3)[0]);
    }

    @Test
    void standardizationUsesTrainingStatistics() {
        Dataset train = Dataset.ofClassLabels(new float[] {1, 5, 3, 5, 5, 5}, new long[] {2}, new long[] {0, 0, 0},
                List.of("only"));
        Normalization standardize = Normalization.standardize(train);

        float[] values = {2, 5, 3, 5};
        standardize.apply(values, 0, 2);
        standardize.apply(values, 2, 2);

        // First feature: mean 3, std sqrt(8/3); second is constant 5, so only centred.
        float std = (float) Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] {-1 / std, 0, 0, 0}, values, 1e-6f);
    }

    @Test
    void targetsBatchAsFloatTensors() {
        Dataset data = Dataset.ofTargets(new float[] {1, 2, 3}, new long[] {1}, new float[] {10, 11, 20, 21, 30, 31},
                new long[] {2});
        Batch batch = BatchLoader.builder(data, 2).build().epoch(0).iterator().next();

        assertEquals(ElementType.FLOAT, batch.labels().elementType());
        assertArrayEquals(new long[] {2, 2}, batch.labels().dims());
        assertArrayEquals(new float[] {10, 11, 20, 21}, batch.labels().toFloatArray());
    }

    @Test
    void augmentingNonImagesIsRefused() {
        Dataset table = DatasetTest.numbered(4, 1);
        DatasetException e = assertThrows(DatasetException.class,
                () -> BatchLoader.builder(table, 2).augmentations(1, new RandomShift(1)));
        assertTrue(e.getMessage().contains("found [1]"), e.getMessage());
    }

    @Test
    void tokenIdsComeAsInt64() {
        float[] ids = {3, 0, 7, 1, 2, 5};
        Dataset data = Dataset.ofClassLabels(ids, new long[] {3}, new long[] {1, 0}, List.of("no", "yes"));
        Batch batch = BatchLoader.builder(data, 2).tokenIds().build().epoch(0).iterator().next();

        assertEquals(ElementType.INT64, batch.features().elementType());
        assertArrayEquals(new long[] {2, 3}, batch.features().dims());
        assertArrayEquals(new long[] {3, 0, 7, 1, 2, 5}, batch.features().toLongArray());
        assertArrayEquals(new long[] {1, 0}, batch.labels().toLongArray());
    }

    @Test
    void aFeatureThatIsNoTokenIdIsRefusedByExampleAndFeature() {
        Dataset data = Dataset.ofClassLabels(new float[] {3, 0, 7, 1, 2.5f, 5}, new long[] {3}, new long[] {1, 0},
                List.of("no", "yes"));
        BatchLoader loader = BatchLoader.builder(data, 2).tokenIds().build();

        DatasetException error = assertThrows(DatasetException.class, () -> loader.epoch(0).iterator().next());
        assertEquals("example 1, feature 1: 2.5 is not a token id (a whole number from 0 to 16777216)", error.getMessage());
    }

    @Test
    void tokenIdsAreNotNormalized() {
        BatchLoader.Builder builder = BatchLoader.builder(DatasetTest.numbered(4, 2), 2).tokenIds()
                .normalization(Normalization.divideBy(2));

        DatasetException error = assertThrows(DatasetException.class, builder::build);
        assertTrue(error.getMessage().startsWith("token ids cannot be augmented, mixed or normalized"), error.getMessage());
    }
}
