package dev.tern.server;

import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraMerge;
import dev.tern.train.lora.LoraTarget;
import dev.tern.train.lora.LoraTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small MLP with LoRA adapters for the serving tests: {@code logits = Gemm(relu(x W1 + b1), W2, b2)}
 * over {@code x: FP32[batch, 6]}, its adapter base (train-ext's {@link LoraInsertion#forAdapters}),
 * random adapters of any rank on both layers, and each adapter merged into the MLP
 * ({@link LoraMerge}) as the reference the served base with the adapter must match.
 */
public final class LoraModels {
    public static final int IN = 6;
    static final int HIDDEN = 5;
    static final int OUT = 4;
    private static final LoraTargets TARGETS = LoraTargets.inScopes(List.of("fc1", "fc2"));

    private LoraModels() {
    }

    public static Model mlp() {
        Random random = new Random(11);
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value w1 = g.initializer(Tensor.ofFloats("w1", new long[] {IN, HIDDEN}, randoms(random, IN * HIDDEN)));
        Value b1 = g.initializer(Tensor.ofFloats("b1", new long[] {HIDDEN}, randoms(random, HIDDEN)));
        Value w2 = g.initializer(Tensor.ofFloats("w2", new long[] {HIDDEN, OUT}, randoms(random, HIDDEN * OUT)));
        Value b2 = g.initializer(Tensor.ofFloats("b2", new long[] {OUT}, randoms(random, OUT)));
        Value h = g.op("Relu", g.op("Add", g.node("MatMul").name("/fc1/MatMul").inputs(x, w1).output(), b1));
        g.output(g.node("Gemm").name("/fc2/Gemm").inputs(h, w2, b2).output(), "logits");
        return g.toModel(21);
    }

    /** The MLP with every weight of both layers ready for adapters: what the server serves. */
    public static Model base() {
        Model base = mlp();
        LoraInsertion.forAdapters(TARGETS).insert(base);
        return base;
    }

    /** Writes {@link #base()} as version {@code version} of {@code model}; returns its folder. */
    static Path writeBase(Path repository, String model, int version) throws IOException {
        return TestModels.write(repository, model, version, base());
    }

    /** A random adapter of {@code rank} on both layers. */
    public static AdapterFile adapter(int rank, long seed) {
        Random random = new Random(seed);
        List<Tensor> parameters = new ArrayList<>();
        for (LoraTarget target : TARGETS.find(mlp())) {
            int in = Math.toIntExact(target.inFeatures());
            int out = Math.toIntExact(target.outFeatures());
            parameters.add(Tensor.ofFloats(target.aName(), new long[] {in, rank}, randoms(random, in * rank)));
            parameters.add(Tensor.ofFloats(target.bName(), new long[] {rank, out}, randoms(random, rank * out)));
        }
        return AdapterFile.of(parameters);
    }

    /** Writes {@code adapter} as {@code <versionFolder>/adapters/<name>.onnx_adapter}. */
    static void writeAdapter(Path versionFolder, String name, AdapterFile adapter) throws IOException {
        adapter.write(Files.createDirectories(versionFolder.resolve("adapters")).resolve(name + ".onnx_adapter"));
    }

    /** The logits of the MLP with {@code adapter} merged into its weights, or of the plain MLP for null. */
    public static float[] mergedLogits(Runtime runtime, AdapterFile adapter, float[] x) {
        try (CompiledModel merged = compileMerged(runtime, adapter)) {
            return logits(merged, x);
        }
    }

    /** The MLP with {@code adapter} merged into its weights, or the plain MLP for null, compiled; the caller closes it. */
    public static CompiledModel compileMerged(Runtime runtime, AdapterFile adapter) {
        Model model = mlp();
        if (adapter != null) {
            // The merge reads the adapter as the server does: from its file format.
            LoraMerge.of(TARGETS, AdapterFile.fromBytes(adapter.toBytes(), "test adapter")).merge(model);
        }
        return runtime.compile(model);
    }

    /** What {@code model} (the MLP, merged or not) gives for rows {@code x}. */
    public static float[] logits(CompiledModel model, float[] x) {
        Tensor input = Tensor.ofFloats("x", new long[] {x.length / IN, IN}, x);
        return model.run(Map.of("x", input)).get("logits").toFloatArray();
    }

    /** {@code rows} rows of inputs drawn from {@code seed}. */
    public static float[] input(int rows, long seed) {
        return randoms(new Random(seed), rows * IN);
    }

    private static float[] randoms(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.5);
        }
        return values;
    }
}
