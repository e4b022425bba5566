package dev.tern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DistributedTrainer} on {@code local[2]}: two barrier tasks, one per partition. */
class DistributedTrainerTest {
    private static final double RATE = 1e-2;

    @TempDir
    Path folder;

    /** {@code rows} in two partitions: the first {@code firstPartition} rows, then the rest. */
    static JavaRDD<DigitRow> twoPartitions(JavaSparkContext context, List<DigitRow> rows, int firstPartition) {
        List<List<DigitRow>> partitions = List.of(new ArrayList<>(rows.subList(0, firstPartition)),
                new ArrayList<>(rows.subList(firstPartition, rows.size())));
        return context.parallelize(partitions, 2).flatMap(List::iterator);
    }

    private static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    }

    /**
     * Tolerance: the two tasks' gradients are means over 12 and 18 rows, summed 12/30 and 18/30
     * by the ring, where the single process sums the 30 rows in one float32 reduction; the
     * orders of summation differ, so the gradients differ in their last bits, and AdamW
     * carries that through 20 steps. Weights are of order 0.1 and each step moves them by up
     * to the rate, 1e-2; the measured difference is 1.6e-7, so 1e-5 leaves room for other
     * kernels' rounding while a wrong weighting (12 and 18 rows averaged as equals shifts every
     * gradient by a tenth of the difference between the halves' gradients) or a lost step shows.
     */
    @Test
    void twoTasksOnAGlobalBatchTrainAsOneProcessOnIt() {
        List<DigitRow> rows = DigitRow.shuffled(1).subList(0, 30);
        TrainingOutcome outcome = DistributedTrainer.builder(DigitsMlp.constantRate(RATE), DigitRow::batch)
                .modelBytes(DigitsMlp.bytes()).globalBatchSize(30).epochs(20).build()
                .fit(twoPartitions(context(), rows, 12));
        assertEquals(2, outcome.tasks());
        assertEquals(20, outcome.steps());
        assertEquals(0, outcome.startStep());
        assertEquals(20, outcome.times().steps());

        DigitsMlp.Trained alone = DigitsMlp.trainAlone(rows, 20, RATE);
        Map<String, Tensor> trained = DigitsMlp.weights(OnnxImporter.read(outcome.model().orElseThrow()));
        double largest = DigitsMlp.maxDifference(alone.weights(), trained);
        assertTrue(largest <= 1e-5, "weights differ by up to " + largest);
        double moved = DigitsMlp.maxDifference(DigitsMlp.weights(DigitsMlp.model()), trained);
        assertTrue(moved > 0.05, "training moved the weights by at most " + moved);
        assertEquals(alone.loss(), outcome.loss(), 1e-5, "the last step's loss over the global batch");
    }

    /**
     * The digits to 97% and more on the 359 rows train-ext's single-process digits test holds
     * out, with its batch, epochs and schedule; the 1,438 training rows in two uneven partitions.
     */
    @Test
    void digitsReachNinetySevenPercentOnHeldOutRows() {
        List<DigitRow> rows = DigitRow.shuffled(7);
        List<DigitRow> training = rows.subList(0, 1438);
        List<DigitRow> validation = rows.subList(1438, rows.size());
        int batch = 64;
        int epochs = 20;
        long steps = epochs * ((training.size() + batch - 1) / batch);
        TrainingOutcome outcome = DistributedTrainer.builder(DigitsMlp.warmupCosine(steps), DigitRow::batch)
                .modelBytes(DigitsMlp.bytes()).globalBatchSize(batch).epochs(epochs).seed(11).build()
                .fit(twoPartitions(context(), training, 600));
        assertEquals(steps, outcome.steps());
        double accuracy = DigitsMlp.accuracy(OnnxImporter.read(outcome.model().orElseThrow()), validation);
        assertTrue(accuracy >= 0.97, "validation accuracy " + accuracy + ", last loss " + outcome.loss());
    }

    /**
     * Task 1 fails at step 12 of the stage's first attempt; Spark fails the barrier stage and
     * retries it, and both tasks resume from task 0's checkpoint of step 10, ending with the
     * model an uninterrupted run trains, to the bit.
     */
    @Test
    void aFailedStageIsRetriedFromTheLastCheckpoint() throws Exception {
        List<DigitRow> rows = DigitRow.shuffled(2).subList(0, 60);
        Path checkpoint = folder.resolve("run.ckpt");
        TrainingOutcome resumed = DistributedTrainer.builder(DigitsMlp.constantRate(RATE), new FailingOnce(12))
                .modelBytes(DigitsMlp.bytes()).globalBatchSize(20).epochs(10).checkpoint(checkpoint, 5).build()
                .fit(twoPartitions(context(), rows, 30));
        assertEquals(1, resumed.stageAttempt());
        assertEquals(10, resumed.startStep());
        assertEquals(30, resumed.steps());
        assertEquals(20, resumed.times().steps(), "the retry took steps 10 to 29");
        assertTrue(Files.exists(checkpoint));

        Path exported = folder.resolve("uninterrupted.onnx");
        TrainingOutcome uninterrupted = DistributedTrainer.builder(DigitsMlp.constantRate(RATE), DigitRow::batch)
                .modelBytes(DigitsMlp.bytes()).globalBatchSize(20).epochs(10)
                .checkpoint(folder.resolve("other.ckpt"), 5).exportTo(exported).build()
                .fit(twoPartitions(context(), rows, 30));
        assertEquals(0, uninterrupted.stageAttempt());
        assertTrue(uninterrupted.model().isEmpty(), "the model went to the export path");
        assertArrayEquals(bytesOf(DigitsMlp.weights(OnnxImporter.read(exported))),
                bytesOf(DigitsMlp.weights(OnnxImporter.read(resumed.model().orElseThrow()))));
    }

    private static byte[] bytesOf(Map<String, Tensor> weights) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Tensor weight : weights.values()) {
            byte[] data = new byte[weight.data().remaining()];
            weight.data().get(data);
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    /** Digit batches, but task 1's batch for step {@code failingStep} throws in the stage's first attempt. */
    private static final class FailingOnce implements BatchAssembler<DigitRow> {
        private static final long serialVersionUID = 1L;
        private final int failingStep;
        /** Batches this task's copy made: its steps since the attempt started, as the attempt starts at step 0. */
        private int made;

        FailingOnce(int failingStep) {
            this.failingStep = failingStep;
        }

        @Override
        public Map<String, Tensor> batch(List<DigitRow> rows) {
            BarrierTaskContext task = BarrierTaskContext.get();
            if (task.stageAttemptNumber() == 0 && task.partitionId() == 1 && made == failingStep) {
                throw new IllegalStateException("injected failure at step " + failingStep);
            }
            made++;
            return DigitRow.batch(rows);
        }
    }
}
