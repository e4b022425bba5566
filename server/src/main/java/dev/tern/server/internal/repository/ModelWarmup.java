package dev.tern.server.internal.repository;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.internal.scheduling.QueuePlacement;
import dev.tern.server.internal.Signature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a version's {@code model_warmup} samples before the version is published, so that a
 * READY version has already paid its first-run costs (memory arenas, kernel choices). Each sample
 * runs {@code count} times (at least once) per instance, one request after another through the
 * version's scheduler: an idle instance is taken from the head of its pool and given back at the tail, so
 * consecutive requests visit every instance, and the runs are counted in the version's statistics
 * like any request's.
 */
final class ModelWarmup {
    /** Fixed, so that random warm-up data are the same on every load. */
    private static final long SEED = 42;

    private ModelWarmup() {
    }

    /**
     * Runs every warm-up sample of {@code version}'s config.
     *
     * @param modelFolder the model's folder, whose {@code warmup/} folder holds data files
     * @throws IllegalArgumentException "warm-up sample 'name': reason" when a sample does not fit
     *     the model's inputs, its data cannot be read, or a run fails
     * @throws IOException if a data file cannot be read
     */
    static void run(ModelVersion version, Path modelFolder) throws IOException {
        Random random = new Random(SEED);
        // Samples wait at the default level, never timing out: there is no traffic to yield to yet.
        QueuePlacement placement = version.defaultPlacement();
        for (WarmupSample sample : version.config().warmup()) {
            Map<String, Tensor> inputs = inputs(sample, version, modelFolder, random);
            int runs = Math.multiplyExact(sample.runsPerInstance(), version.config().instanceCount());
            for (int run = 0; run < runs; run++) {
                try {
                    version.scheduler().submit(inputs, sample.rows(), Deadline.none(), System.nanoTime(),
                            placement).join();
                } catch (CompletionException e) {
                    throw failed(sample, "the run failed: " + e.getCause().getMessage());
                }
            }
        }
    }

    private static Map<String, Tensor> inputs(WarmupSample sample, ModelVersion version, Path modelFolder,
                                              Random random) throws IOException {
        Map<String, Signature> signatures = version.inputs().stream()
                .collect(Collectors.toMap(Signature::name, Function.identity()));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (WarmupInput input : sample.inputs()) {
            Signature signature = signatures.get(input.name());
            if (signature == null) {
                throw failed(sample, "the model has no input '" + input.name() + "'; its inputs are "
                        + signatures.keySet());
            }
            long[] shape = sample.shapeOf(input);
            if (signature.elementType() != input.elementType()) {
                throw failed(sample, "input '" + input.name() + "' is " + signature.datatype() + " in the model, "
                        + input.elementType() + " in '" + input.field() + ".data_type'");
            }
            if (!signature.accepts(shape)) {
                throw failed(sample, "input '" + input.name() + "' of shape " + Arrays.toString(shape)
                        + " does not fit the model's " + signature.shapeText() + " ('" + input.field() + ".dims'"
                        + (sample.batched() ? ", after the batch dimension" : "") + ")");
            }
            try {
                inputs.put(input.name(), input.data(shape, modelFolder, random));
            } catch (IllegalArgumentException e) {
                throw failed(sample, e.getMessage());
            }
        }
        for (String name : signatures.keySet()) {
            if (!inputs.containsKey(name)) {
                throw failed(sample, "no data for the model's input '" + name + "'");
            }
        }
        return inputs;
    }

    private static IllegalArgumentException failed(WarmupSample sample, String reason) {
        return new IllegalArgumentException("warm-up sample '" + sample.name() + "': " + reason);
    }
}
