package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 through both compile paths, against ONNX Runtime called directly. */
class MiniLmTest {
    @TempDir
    static Path folder;
    static Path file;

    @RegisterExtension
    final OpenModels models = new OpenModels();

    @BeforeAll
    static void extract() {
        file = MiniLm.extract(folder);
    }

    /** The independent reference: ONNX Runtime on the original file, fed the usual Java way. */
    private static float[] reference(Map<String, Tensor> inputs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> fed = new HashMap<>();
            try {
                for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                    Tensor t = input.getValue();
                    long[][] rows = new long[(int) t.dims()[0]][(int) t.dims()[1]];
                    long[] flat = t.toLongArray();
                    for (int r = 0; r < rows.length; r++) {
                        System.arraycopy(flat, r * rows[r].length, rows[r], 0, rows[r].length);
                    }
                    fed.put(input.getKey(), OnnxTensor.createTensor(env, rows));
                }
                try (OrtSession.Result result = session.run(fed)) {
                    float[][][] hidden = (float[][][]) result.get(0).getValue();
                    float[] flat = new float[hidden.length * hidden[0].length * MiniLm.HIDDEN];
                    int i = 0;
                    for (float[][] row : hidden) {
                        for (float[] token : row) {
                            System.arraycopy(token, 0, flat, i, token.length);
                            i += token.length;
                        }
                    }
                    return flat;
                }
            } finally {
                fed.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void metadataNamesTheSymbolicDimensions() {
        try (CompiledModel model = models.runtime().open(file)) {
            ValueType ids = ValueType.tensor(ElementType.INT64, Shape.of(Dim.of("batch_size"), Dim.of("sequence_length")));
            assertEquals(List.of(new IoSpec("input_ids", ids), new IoSpec("attention_mask", ids),
                    new IoSpec("token_type_ids", ids)), model.inputs());
            assertEquals(List.of(new IoSpec("last_hidden_state", ValueType.tensor(ElementType.FLOAT,
                    Shape.of(Dim.of("batch_size"), Dim.of("sequence_length"), Dim.of(MiniLm.HIDDEN))))), model.outputs());
        }
    }

    @Test
    void compiledFromTheMappedImportMatchesOnnxRuntimeOnTheFile() throws Exception {
        Map<String, Tensor> inputs = MiniLm.inputs(2, 16, 7);
        float[] expected = reference(inputs);
        Model imported = OnnxImporter.read(file);
        try (CompiledModel model = models.runtime().compile(imported)) {
            assertTrue(model.sharedWeightBytes() > 80_000_000L, "weights shared: " + model.sharedWeightBytes());
            Tensor hidden = model.run(inputs).get("last_hidden_state");
            assertArrayEquals(new long[] {2, 16, MiniLm.HIDDEN}, hidden.dims());
            assertArrayEquals(expected, hidden.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void openedFromTheFileMatchesToo() throws Exception {
        Map<String, Tensor> inputs = MiniLm.inputs(1, 8, 11);
        try (CompiledModel model = models.runtime().open(file)) {
            assertArrayEquals(reference(inputs), model.run(inputs).get("last_hidden_state").toFloatArray(), 1e-4f);
        }
    }

    @Test
    void sixteenThreadsShareOneModel() throws Exception {
        int threads = 16;
        List<Map<String, Tensor>> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inputs.add(MiniLm.inputs(1, 8 + i, i));
        }
        try (CompiledModel model = models.runtime().compile(OnnxImporter.read(file))) {
            for (Map<String, Tensor> input : inputs) {
                expected.add(model.run(input).get("last_hidden_state").toFloatArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Map<String, Tensor> input = inputs.get(i);
                    results.add(pool.submit(() -> model.run(input).get("last_hidden_state").toFloatArray()));
                }
                for (int i = 0; i < threads; i++) {
                    assertArrayEquals(expected.get(i), results.get(i).get(), 1e-5f, "thread " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
