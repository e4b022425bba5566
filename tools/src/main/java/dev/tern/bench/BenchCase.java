package dev.tern.bench;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.models.ModelTemplates;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * One model and batch size of the inference benchmarks: the model file, and its inputs as
 * little-endian direct buffers with their shapes, ready for every calling style to use.
 *
 * <p>Cases are named {@code MODEL/BATCH}: {@code mlp} is a 64-128-10 MLP built with our
 * builder, {@code minilm} and {@code minilm-q} the fp32 and int8 all-MiniLM-L6-v2 the build
 * unpacks (sequence length 128), {@code minilm-tern-q} Tern's own dynamic int8 quantization of
 * the fp32 model, which {@code tools/bench.sh quantize} writes beside them.
 */
record BenchCase(String name, Path modelFile, Map<String, Input> inputs) {
    static final int SEQUENCE = 128;
    static final String MODELS_DIR = "tools/target/models";

    /** One input: element type, shape and the bytes (a direct little-endian buffer the benchmarks never write). */
    record Input(ElementType type, long[] shape, ByteBuffer data) {
    }

    /**
     * @param name {@code mlp/1}, {@code minilm/8}, ...
     * @param workDir where the MLP's model file is written
     */
    static BenchCase load(String name, Path workDir) throws IOException {
        String[] parts = name.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("case '" + name + "' is not MODEL/BATCH");
        }
        int batch = Integer.parseInt(parts[1]);
        Random random = new Random(7);
        return switch (parts[0]) {
            case "mlp" -> new BenchCase(name, writeMlp(workDir),
                    Map.of(ModelTemplates.INPUT, floats(random, batch, 64)));
            case "minilm" -> minilm(name, Path.of(MODELS_DIR, "all-minilm-l6-v2.onnx"), batch, random);
            case "minilm-q" -> minilm(name, Path.of(MODELS_DIR, "all-minilm-l6-v2-q.onnx"), batch, random);
            case "minilm-tern-q" -> minilm(name, Path.of(MODELS_DIR, "all-minilm-l6-v2-tern-q.onnx"), batch, random);
            default -> throw new IllegalArgumentException("unknown model '" + parts[0]
                    + "' in case '" + name + "' (known: mlp, minilm, minilm-q, minilm-tern-q)");
        };
    }

    /** The inputs as Tern tensors over the same buffers (no copy). */
    Map<String, Tensor> ternInputs() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        inputs.forEach((inputName, input) ->
                tensors.put(inputName, Tensor.of(inputName, input.type(), input.shape(), input.data())));
        return tensors;
    }

    /** The imported model (memory-mapped). */
    Model model() throws IOException {
        return OnnxImporter.read(modelFile);
    }

    /** The 64-128-10 MLP template, written where ORT by hand can open it too. */
    private static Path writeMlp(Path workDir) throws IOException {
        Path file = workDir.resolve("mlp.onnx");
        Files.createDirectories(workDir);
        OnnxExporter.write(ModelTemplates.mlp(64, new int[] {128}, 10, 42), file);
        return file;
    }

    private static BenchCase minilm(String name, Path file, int batch, Random random) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run the benchmarks from the repository root"
                    + " after a build (bin/tern unpacks the models)");
        }
        Map<String, Input> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", longs(random, batch, 30_000));
        inputs.put("attention_mask", longs(null, batch, 1));
        inputs.put("token_type_ids", longs(null, batch, 0));
        return new BenchCase(name, file, inputs);
    }

    private static Input floats(Random random, int batch, int width) {
        ByteBuffer data = direct(batch * width * 4L);
        for (int i = 0; i < batch * width; i++) {
            data.putFloat(i * 4, random.nextFloat());
        }
        return new Input(ElementType.FLOAT, new long[] {batch, width}, data);
    }

    /** Token ids below {@code bound}, or all equal to {@code bound} when {@code random} is null. */
    private static Input longs(Random random, int batch, int bound) {
        ByteBuffer data = direct(batch * (long) SEQUENCE * 8);
        for (int i = 0; i < batch * SEQUENCE; i++) {
            data.putLong(i * 8, random == null ? bound : random.nextInt(bound));
        }
        return new Input(ElementType.INT64, new long[] {batch, SEQUENCE}, data);
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
