package dev.tern.train.models;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.train.DataSets;
import dev.tern.train.data.Batch;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTemplatesTest {
    private static final SessionConfig SESSION = SessionConfig.defaults();

    private static Runtime runtime;

    @BeforeAll
    static void openRuntime() {
        runtime = Runtime.create();
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    @Test
    void mlpRunsToBatchByClassLogits() {
        Model mlp = ModelTemplates.mlp(64, new int[] {128}, 10, 1);

        float[] logits = runAndCheckShape(mlp, new long[] {5, 64}, 10);

        assertEquals(2, mlp.graph().nodes().stream().filter(n -> n.opType().equals("MatMul")).count());
        assertTrue(allFinite(logits));
    }

    @Test
    void cnnRunsToBatchByClassLogits() {
        Model cnn = ModelTemplates.cnn(1, 8, 8, 10, 1);

        float[] logits = runAndCheckShape(cnn, new long[] {3, 1, 8, 8}, 10);

        assertEquals(2, cnn.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).count());
        assertArrayEquals(new long[] {16, 1, 3, 3}, cnn.graph().initializers().get("conv1.weight").initializer().dims());
        assertArrayEquals(new long[] {32 * 4 * 4, 64}, cnn.graph().initializers().get("fc1.weight").initializer().dims());
        assertTrue(allFinite(logits));
    }

    @Test
    void digitsBatchesFeedTheCnn() throws IOException {
        Dataset digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label")
                .featureShape(1, 8, 8)
                .read();
        BatchLoader loader = BatchLoader.builder(digits, 64).normalization(Normalization.divideBy(16)).build();
        Batch batch = loader.epoch(0).iterator().next();

        try (CompiledModel compiled = runtime.compile(ModelTemplates.cnn(1, 8, 8, digits.classCount(), 1), SESSION)) {
            Tensor logits = compiled.run(Map.of(ModelTemplates.INPUT, batch.features())).get(ModelTemplates.LOGITS);
            assertArrayEquals(new long[] {64, 10}, logits.dims());
        }
    }

    @Test
    void regressionMlpPredictsNamedValues() {
        Model mlp = ModelTemplates.regressionMlp(13, new int[] {8}, 1, 1);

        assertTrue(allFinite(run(mlp, new long[] {2, 13}, ModelTemplates.PREDICTION, 1)));
        assertEquals("tensor(float)[batch,1]", mlp.graph().outputs().get(0).type().toString());
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.regressionMlp(13, new int[] {8}, 0, 1));
    }

    @Test
    void oddSizedRgbCnnRuns() {
        runAndCheckShape(ModelTemplates.cnn(3, 7, 5, 4, 2), new long[] {2, 3, 7, 5}, 4);
    }

    @Test
    void inferredLogitsKeepTheSymbolicBatch() {
        Model cnn = ModelTemplates.cnn(1, 8, 8, 10, 1);

        ShapeInference.infer(cnn);

        ValueType expected = ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(10)));
        assertEquals(expected, cnn.graph().outputs().get(0).type());
        assertEquals("logits", cnn.graph().outputs().get(0).name());
    }

    @Test
    void seedFixesTheWeights() {
        float[] a = weight(ModelTemplates.mlp(4, new int[] {8}, 3, 9), "fc1.weight");
        float[] b = weight(ModelTemplates.mlp(4, new int[] {8}, 3, 9), "fc1.weight");
        float[] c = weight(ModelTemplates.mlp(4, new int[] {8}, 3, 10), "fc1.weight");

        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void initializationScalesFollowHeAndGlorot() {
        Model mlp = ModelTemplates.mlp(512, new int[] {256}, 256, 3);

        // 131,072 and 65,536 samples: the estimates are within about 0.5% of the true spread.
        assertEquals(Math.sqrt(2.0 / 512), std(weight(mlp, "fc1.weight")), 0.02 * Math.sqrt(2.0 / 512));
        double glorotLimit = Math.sqrt(6.0 / (256 + 256));
        assertEquals(glorotLimit / Math.sqrt(3), std(weight(mlp, "fc2.weight")), 0.02 * glorotLimit);
        assertArrayEquals(new float[256], weight(mlp, "fc1.bias"));
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.mlp(0, new int[] {4}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.mlp(4, new int[] {4}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.cnn(1, 1, 8, 10, 1));
    }

    private static float[] runAndCheckShape(Model model, long[] inputDims, int classes) {
        return run(model, inputDims, ModelTemplates.LOGITS, classes);
    }

    /** Runs {@code model} on random inputs and checks {@code output} is {@code [batch, width]}. */
    private static float[] run(Model model, long[] inputDims, String output, int width) {
        Random random = new Random(0);
        float[] values = new float[(int) Arrays.stream(inputDims).reduce(1, (x, y) -> x * y)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        try (CompiledModel compiled = runtime.compile(model, SESSION)) {
            Map<String, Tensor> out = compiled.run(Map.of(ModelTemplates.INPUT, Tensor.ofFloats("input", inputDims, values)));
            Tensor result = out.get(output);
            assertArrayEquals(new long[] {inputDims[0], width}, result.dims());
            return result.toFloatArray();
        }
    }

    private static float[] weight(Model model, String name) {
        return model.graph().initializers().get(name).initializer().toFloatArray();
    }

    private static double std(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
