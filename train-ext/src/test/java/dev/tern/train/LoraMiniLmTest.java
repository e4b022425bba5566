package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Adapter;
import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.RunControl;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraMerge;
import dev.tern.train.lora.LoraTarget;
import dev.tern.train.lora.LoraTargets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on the pretrained all-MiniLM-L6-v2: the adapter base, an adapter file and the merged model agree. */
class LoraMiniLmTest extends RuntimeExtension {
    private static final LoraTargets ENCODER = LoraTargets.inScopes(List.of("encoder"));

    @TempDir
    Path folder;

    private static Map<String, Tensor> sentences() {
        try (TextTokenizer tokenizer = MiniLm.tokenizer(16)) {
            return tokenizer.encode(List.of("The striker scored twice.", "Bake the bread for forty minutes."));
        }
    }

    private static float[] hidden(Model model, RunControl control) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(sentences(), control).get(MiniLm.HIDDEN_OUTPUT).toFloatArray();
        }
    }

    @Test
    void everyAttentionProjectionAndFeedForwardLayerIsATarget() {
        List<LoraTarget> targets = ENCODER.find(MiniLm.encoder());
        assertEquals(36, targets.size(), "6 layers of query, key, value, attention output, intermediate, output");
        assertEquals("encoder.layer.0.attention.self.query.MatMul", targets.get(0).name());
        assertEquals(List.of(384L, 1536L), List.of(targets.get(4).inFeatures(), targets.get(4).outFeatures()));
    }

    /**
     * The base with a rank-8 adapter and the merged model differ only by float rounding: W x +
     * (x A) B against (W + A B) x, through six layers. Measured: 1.9e-6 apart at most, while the
     * adapter moves the hidden states by more than 0.1.
     */
    @Test
    void theBaseWithAnAdapterMatchesTheMergedModel() {
        Model base = MiniLm.encoder();
        List<LoraTarget> targets = LoraInsertion.forAdapters(ENCODER).insert(base);
        float[] original = hidden(MiniLm.encoder(), RunControl.none());
        assertClose(original, hidden(base, RunControl.none()), 1e-5, "the base without an adapter");

        AdapterFile adapter = randomAdapter(targets, 8, 3);
        Path file = folder.resolve("minilm.onnx_adapter");
        adapter.write(file);
        Model merged = MiniLm.encoder();
        LoraMerge.of(ENCODER, adapter).merge(merged);
        float[] expected = hidden(merged, RunControl.none());
        float[] withAdapter;
        try (Adapter loaded = runtime.loadAdapter(file)) {
            withAdapter = hidden(base, RunControl.adapter(loaded));
        }
        assertClose(expected, withAdapter, 1e-5, "the base with the adapter against the merged model");
        assertTrue(maxDifference(original, expected) > 0.1, "the adapter changes the hidden states");
    }

    private static AdapterFile randomAdapter(List<LoraTarget> targets, int rank, long seed) {
        Random random = new Random(seed);
        List<Tensor> parameters = new ArrayList<>();
        for (LoraTarget target : targets) {
            parameters.add(Tensor.ofFloats(target.aName(), new long[] {target.inFeatures(), rank},
                    gaussian(random, (int) target.inFeatures() * rank, 0.05)));
            parameters.add(Tensor.ofFloats(target.bName(), new long[] {rank, target.outFeatures()},
                    gaussian(random, rank * (int) target.outFeatures(), 0.05)));
        }
        return AdapterFile.of(parameters);
    }

    private static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double difference = maxDifference(expected, actual);
        assertTrue(difference <= tolerance, what + ": max difference " + difference + " > " + tolerance);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
