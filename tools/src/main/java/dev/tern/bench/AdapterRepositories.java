package dev.tern.bench;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraMerge;
import dev.tern.train.lora.LoraTarget;
import dev.tern.train.lora.LoraTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The two model repositories {@link AdapterServingBenchmark} serves from one MiniLM file: one
 * model, the base made ready for adapters, with {@code count} adapters beside it
 * ({@code lora/minilm/1/adapters/<name>.onnx_adapter}); and {@code count} models, each adapter
 * merged into MiniLM ({@code merged/minilm-<name>/1/model.onnx}). The adapters are random, of
 * rank {@value #RANK} on every projection and feed-forward layer of the encoder: what serving
 * costs does not depend on what they were trained to do.
 */
final class AdapterRepositories {
    static final int RANK = 8;
    static final String BASE_MODEL = "minilm";
    private static final LoraTargets TARGETS = LoraTargets.inScopes(List.of("encoder"));

    private AdapterRepositories() {
    }

    /** The adapters' names: a, b, c, ... */
    static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(String.valueOf((char) ('a' + i)));
        }
        return names;
    }

    /** The merged model serving adapter {@code name}. */
    static String mergedModel(String name) {
        return BASE_MODEL + "-" + name;
    }

    /** Writes both repositories under {@code folder}: {@code folder/lora} and {@code folder/merged}. */
    static void write(Path minilm, Path folder, int count) throws IOException {
        Model base = OnnxImporter.read(minilm);
        List<LoraTarget> targets = TARGETS.find(base);
        LoraInsertion.forAdapters(TARGETS).insert(base);
        Path version = Files.createDirectories(folder.resolve("lora").resolve(BASE_MODEL).resolve("1"));
        OnnxExporter.write(base, version.resolve("model.onnx"));
        Path adapters = Files.createDirectories(version.resolve("adapters"));
        long seed = 1;
        for (String name : names(count)) {
            AdapterFile adapter = randomAdapter(targets, seed++);
            adapter.write(adapters.resolve(name + ".onnx_adapter"));
            Model merged = OnnxImporter.read(minilm);
            LoraMerge.of(TARGETS, adapter).merge(merged);
            Path mergedVersion = Files.createDirectories(folder.resolve("merged").resolve(mergedModel(name))
                    .resolve("1"));
            OnnxExporter.write(merged, mergedVersion.resolve("model.onnx"));
        }
    }

    private static AdapterFile randomAdapter(List<LoraTarget> targets, long seed) {
        Random random = new Random(seed);
        List<Tensor> parameters = new ArrayList<>();
        for (LoraTarget target : targets) {
            parameters.add(random(target.aName(), target.inFeatures(), RANK, random));
            parameters.add(random(target.bName(), RANK, target.outFeatures(), random));
        }
        return AdapterFile.of(parameters);
    }

    private static Tensor random(String name, long rows, long columns, Random random) {
        float[] values = new float[Math.toIntExact(rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        return Tensor.ofFloats(name, new long[] {rows, columns}, values);
    }
}
