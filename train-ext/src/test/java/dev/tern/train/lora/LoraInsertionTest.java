package dev.tern.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Adapter;
import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.RunControl;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import dev.tern.onnx.OnnxExporter;
import dev.tern.ir.passes.PassException;
import dev.tern.ir.passes.PassResult;
import dev.tern.train.RuntimeExtension;
import dev.tern.train.TrainingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA insertion and merging on a small built model with a MatMul and a transposed, scaled Gemm. */
class LoraInsertionTest extends RuntimeExtension {
    private static final int IN = 6;
    private static final int HIDDEN = 5;
    private static final int OUT = 4;
    private static final int BATCH = 3;
    private static final LoraTargets BOTH = LoraTargets.inScopes(List.of("fc1", "fc2"));

    @TempDir
    Path folder;

    /** logits = Gemm(relu(x W1 + b1), W2, b2; transB = 1, alpha = 0.5) with W2 stored [OUT, HIDDEN]. */
    private static Model mlp() {
        Random random = new Random(7);
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value w1 = g.initializer(Tensor.ofFloats("w1", new long[] {IN, HIDDEN}, randoms(random, IN * HIDDEN, 0.5)));
        Value b1 = g.initializer(Tensor.ofFloats("b1", new long[] {HIDDEN}, randoms(random, HIDDEN, 0.5)));
        Value w2 = g.initializer(Tensor.ofFloats("w2", new long[] {OUT, HIDDEN}, randoms(random, OUT * HIDDEN, 0.5)));
        Value b2 = g.initializer(Tensor.ofFloats("b2", new long[] {OUT}, randoms(random, OUT, 0.5)));
        Value h = g.op("Relu", g.op("Add", g.node("MatMul").name("/fc1/MatMul").inputs(x, w1).output(), b1));
        Value logits = g.node("Gemm").name("/fc2/Gemm").inputs(h, w2, b2).attr("transB", 1L).attr("alpha", 0.5f)
                .output();
        g.output(logits, "logits");
        return g.toModel(21);
    }

    private static Map<String, Tensor> inputs() {
        return Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, IN}, randoms(new Random(8), BATCH * IN, 1)));
    }

    private static float[] logits(Model model, RunControl control) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(inputs(), control).get("logits").toFloatArray();
        }
    }

    /** A fresh copy, so that passes working in place leave the original alone. */
    private static Model copy(Model model) {
        return OnnxImporter.read(OnnxExporter.toBytes(model));
    }

    private static AdapterFile randomAdapter(List<LoraTarget> targets, int rank, long seed) {
        Random random = new Random(seed);
        List<Tensor> parameters = new ArrayList<>();
        for (LoraTarget target : targets) {
            parameters.add(Tensor.ofFloats(target.aName(), new long[] {target.inFeatures(), rank},
                    randoms(random, (int) target.inFeatures() * rank, 0.5)));
            parameters.add(Tensor.ofFloats(target.bName(), new long[] {rank, target.outFeatures()},
                    randoms(random, rank * (int) target.outFeatures(), 0.5)));
        }
        return AdapterFile.of(parameters);
    }

    @Test
    void targetsAreNamedAfterTheirNodesAndSizedAsTheNodesReadTheWeights() {
        List<LoraTarget> targets = BOTH.find(mlp());
        assertEquals(List.of("fc1.MatMul", "fc2.Gemm"), targets.stream().map(LoraTarget::name).toList());
        assertEquals(List.of("fc1.MatMul.lora_A", "fc1.MatMul.lora_B"),
                List.of(targets.get(0).aName(), targets.get(0).bName()));
        assertEquals(List.of((long) IN, (long) HIDDEN), List.of(targets.get(0).inFeatures(), targets.get(0).outFeatures()));
        assertEquals(List.of((long) HIDDEN, (long) OUT), List.of(targets.get(1).inFeatures(), targets.get(1).outFeatures()));
        assertTrue(targets.get(1).transposed());
        assertEquals(0.5f, targets.get(1).gemmAlpha());
    }

    @Test
    void theAdapterBaseGivesTheOriginalOutputsAndKeepsTheirNames() {
        Model original = mlp();
        Model base = copy(original);
        List<LoraTarget> rewritten = LoraInsertion.forAdapters(BOTH).insert(base);
        assertEquals(2, rewritten.size());
        assertEquals("logits", base.graph().outputs().get(0).name());
        List<String> inputs = base.graph().inputs().stream().map(Value::name).toList();
        assertEquals(List.of("x", "fc1.MatMul.lora_A", "fc1.MatMul.lora_B", "fc2.Gemm.lora_A", "fc2.Gemm.lora_B"), inputs);
        assertArrayEquals(logits(original, RunControl.none()), logits(base, RunControl.none()), 1e-6f);
    }

    @Test
    void theBaseWithAnAdapterGivesWhatTheMergedModelGives() {
        Model original = mlp();
        Model base = copy(original);
        List<LoraTarget> targets = LoraInsertion.forAdapters(BOTH).insert(base);
        AdapterFile adapter = randomAdapter(targets, 3, 9);
        Path file = folder.resolve("mlp.onnx_adapter");
        adapter.write(file);
        Model merged = copy(original);
        LoraMerge.of(BOTH, AdapterFile.read(file)).merge(merged);

        float[] expected = logits(merged, RunControl.none());
        float[] withAdapter;
        try (Adapter loaded = runtime.loadAdapter(file)) {
            withAdapter = logits(base, RunControl.adapter(loaded));
        }
        assertArrayEquals(expected, withAdapter, 1e-5f);
        float[] unchanged = logits(original, RunControl.none());
        assertFalse(java.util.Arrays.equals(unchanged, expected), "the adapter changes the outputs");
        assertEquals(4, merged.graph().initializers().size(), "merged in place, no new weights");
    }

    @Test
    void anAdapterForOneTargetLeavesTheOtherAsItWas() {
        Model original = mlp();
        Model base = copy(original);
        List<LoraTarget> targets = LoraInsertion.forAdapters(BOTH).insert(base);
        AdapterFile onlyFc2 = randomAdapter(targets.subList(1, 2), 2, 10);
        Path file = folder.resolve("fc2.onnx_adapter");
        onlyFc2.write(file);
        Model merged = copy(original);
        LoraMerge.of(BOTH, onlyFc2).merge(merged);
        assertTrue(merged.graph().initializers().get("w1").initializer()
                .contentEquals(original.graph().initializers().get("w1").initializer()));
        try (Adapter loaded = runtime.loadAdapter(file)) {
            assertArrayEquals(logits(merged, RunControl.none()), logits(base, RunControl.adapter(loaded)), 1e-5f);
        }
    }

    @Test
    void anAdapterCanReplaceAWeightWholeThroughAnOptionalInput() {
        Model original = mlp();
        Model base = copy(original);
        List<LoraTarget> targets = LoraInsertion.forAdapters(BOTH).insert(base);
        LoraAdapters.addOptionalInputs(base, List.of("b2"));
        List<Tensor> parameters = new ArrayList<>(randomAdapter(targets, 2, 12).parameters());
        parameters.add(Tensor.ofFloats("b2", new long[] {OUT}, 10, 20, 30, 40));
        AdapterFile withHead = AdapterFile.of(parameters);
        Path file = folder.resolve("head.onnx_adapter");
        withHead.write(file);
        Model merged = copy(original);
        LoraMerge.of(BOTH, withHead).merge(merged);

        assertArrayEquals(new float[] {10, 20, 30, 40}, merged.graph().initializers().get("b2").initializer().toFloatArray());
        assertArrayEquals(logits(original, RunControl.none()), logits(base, RunControl.none()), 1e-6f);
        try (Adapter loaded = runtime.loadAdapter(file)) {
            assertArrayEquals(logits(merged, RunControl.none()), logits(base, RunControl.adapter(loaded)), 1e-5f);
        }
    }

    @Test
    void adapterFilesFromTrainingCarryTheScaleInB() {
        Model trainable = mlp();
        LoraInsertion insertion = LoraInsertion.forTraining(BOTH, 2, 6, 3);
        List<LoraTarget> targets = insertion.insert(trainable);
        java.util.Map<String, Tensor> weights = new java.util.HashMap<>();
        for (LoraTarget target : targets) {
            weights.put(target.aName(), trainable.graph().initializers().get(target.aName()).initializer());
            weights.put(target.bName(), Tensor.ofFloats(target.bName(), new long[] {2, target.outFeatures()},
                    randoms(new Random(4), 2 * (int) target.outFeatures(), 1)));
        }
        weights.put("b2", Tensor.ofFloats("b2", new long[] {OUT}, 1, 2, 3, 4));
        AdapterFile adapter = LoraAdapters.fromTraining(targets, insertion.scale(), weights, List.of("b2"));

        assertEquals(3.0, insertion.scale());
        assertEquals(5, adapter.parameters().size());
        float[] trainedB = weights.get("fc1.MatMul.lora_B").toFloatArray();
        float[] writtenB = adapter.parameter("fc1.MatMul.lora_B").orElseThrow().toFloatArray();
        for (int i = 0; i < trainedB.length; i++) {
            assertEquals(3 * trainedB[i], writtenB[i], 1e-6f);
        }
        assertTrue(adapter.parameter("fc1.MatMul.lora_A").orElseThrow().contentEquals(weights.get("fc1.MatMul.lora_A")));
        TrainingException missing = assertThrows(TrainingException.class,
                () -> LoraAdapters.fromTraining(targets, 3, java.util.Map.of(), List.of()));
        assertEquals("no trained weight 'fc1.MatMul.lora_A' among []", missing.getMessage());
    }

    @Test
    void trainingFormStartsFromTheOriginalOutputsWithBoundedA() {
        Model original = mlp();
        Model trainable = copy(original);
        List<LoraTarget> targets = LoraInsertion.forTraining(BOTH, 4, 8, 1).insert(trainable);
        assertEquals(List.of("x"), trainable.graph().inputs().stream().map(Value::name).toList());
        for (LoraTarget target : targets) {
            float[] a = trainable.graph().initializers().get(target.aName()).initializer().toFloatArray();
            double bound = 1 / Math.sqrt(target.inFeatures());
            assertEquals(target.inFeatures() * 4, a.length);
            for (float value : a) {
                assertTrue(Math.abs(value) <= bound, value + " within ±" + bound);
            }
            assertEquals(2f, trainable.graph().initializers().get(target.name() + ".lora_scale").initializer()
                    .toFloatArray()[0], "alpha / rank");
        }
        assertArrayEquals(logits(original, RunControl.none()), logits(trainable, RunControl.none()), 1e-6f);
    }

    @Test
    void dropoutSitsOnTheAdapterInputInTrainingModeOnly() {
        Model trainable = mlp();
        List<LoraTarget> targets = LoraInsertion.forTraining(BOTH, 4, 8, 0.25, 1).insert(trainable);
        for (LoraTarget target : targets) {
            Node down = trainable.graph().nodes().stream()
                    .filter(node -> node.name().equals(target.name() + ".lora_down")).findFirst().orElseThrow();
            Node dropout = down.input(0).producer();
            assertEquals("Dropout", dropout.opType());
            assertSame(target.x(), dropout.input(0), "the adapter's input, not the base weight's path");
            assertEquals(0.25f, dropout.input(1).initializer().toFloatArray()[0]);
            assertEquals(1, dropout.input(2).initializer().data().get(0), "training_mode true");
        }
        IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class,
                () -> LoraInsertion.forTraining(BOTH, 4, 8, 1, 1));
        assertEquals("LoRA dropout must lie in [0, 1), found 1.0", ratio.getMessage());
    }

    @Test
    void preconditionFailuresNameThePassAndTheProblem() {
        TrainingException unmatched = assertThrows(TrainingException.class,
                () -> LoraInsertion.forAdapters(LoraTargets.inScopes(List.of("decoder"))).insert(mlp()));
        assertEquals("lora-insertion: model graph 'mlp': LoRA target scope 'decoder' matches no MatMul or Gemm weight"
                + " (a float initializer of rank 2); the model's 2 are: w1 (read by /fc1/MatMul), w2 (read by /fc2/Gemm)",
                unmatched.getMessage());

        Model twice = mlp();
        LoraInsertion.forAdapters(BOTH).insert(twice);
        TrainingException taken = assertThrows(TrainingException.class,
                () -> LoraInsertion.forAdapters(LoraTargets.inScopes(List.of("fc1"))).insert(twice));
        assertTrue(taken.getMessage().startsWith("lora-insertion: model graph 'mlp' already has a value named"
                + " 'fc1.MatMul.lora_A'"), taken.getMessage());

        AdapterFile wrongShape = AdapterFile.of(List.of(
                Tensor.zeros("fc1.MatMul.lora_A", ElementType.FLOAT, IN + 1, 2),
                Tensor.zeros("fc1.MatMul.lora_B", ElementType.FLOAT, 2, HIDDEN)));
        TrainingException shape = assertThrows(TrainingException.class, () -> LoraMerge.of(BOTH, wrongShape).merge(mlp()));
        assertEquals("lora-merge: model graph 'mlp': the adapter of '/fc1/MatMul' (MatMul) must be A[6, r] and"
                + " B[r, 5], found A[7, 2] and B[2, 5]", shape.getMessage());

        AdapterFile stray = AdapterFile.of(List.of(Tensor.zeros("elsewhere.lora_A", ElementType.FLOAT, 1, 1)));
        TrainingException unclaimed = assertThrows(TrainingException.class, () -> LoraMerge.of(BOTH, stray).merge(mlp()));
        assertEquals("lora-merge: model graph 'mlp': adapter parameters [elsewhere.lora_A] belong to no target in"
                + " [fc1, fc2] and replace no initializer", unclaimed.getMessage());

        AdapterFile wrongHead = AdapterFile.of(List.of(Tensor.zeros("b2", ElementType.FLOAT, OUT + 1)));
        TrainingException head = assertThrows(TrainingException.class, () -> LoraMerge.of(BOTH, wrongHead).merge(mlp()));
        assertEquals("lora-merge: model graph 'mlp': adapter parameter 'b2' is FLOAT[5] but the initializer it"
                + " replaces is FLOAT[4]", head.getMessage());
    }

    @Test
    void asPassesTheyRunUnderTheDefUseVerifierAndNameThemselvesInFailures() {
        Model base = mlp();
        PassResult inserted = LoraInsertion.forAdapters(BOTH).apply(base, true);
        assertSame(base, inserted.model());
        assertTrue(inserted.modified());

        Model merged = mlp();
        List<LoraTarget> targets = BOTH.find(mlp());
        PassResult merging = LoraMerge.of(BOTH, randomAdapter(targets, 2, 5)).apply(merged, true);
        assertSame(merged, merging.model());
        assertTrue(merging.modified());

        PassException unmatched = assertThrows(PassException.class,
                () -> LoraInsertion.forAdapters(LoraTargets.inScopes(List.of("decoder"))).apply(mlp(), true));
        assertEquals("lora-insertion", unmatched.passName());
        assertTrue(unmatched.getMessage().startsWith("pass 'lora-insertion': precondition failed: lora-insertion:"
                + " model graph 'mlp': LoRA target scope 'decoder'"), unmatched.getMessage());
    }

    static float[] randoms(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }
}
