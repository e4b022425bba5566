package dev.tern.cli.internal;

import dev.tern.ir.Tensor;
import dev.tern.server.client.InputMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors a load generator sends: read from .npy files where given, random elsewhere in the
 * shape the model's metadata names, with each size left to the request (-1) taken from an
 * explicit shape or else 1.
 */
public final class RemoteInputs {
    private RemoteInputs() {
    }

    /**
     * @param files .npy files by input name
     * @param shapes shapes for random inputs by input name, overriding the metadata's
     * @throws CliFailure (usage) naming an input the model does not have, or a shape of the wrong rank
     */
    public static List<Tensor> of(List<InputMetadata> inputs, Map<String, Path> files, Map<String, long[]> shapes) {
        Set<String> known = new HashSet<>();
        inputs.forEach(input -> known.add(input.name()));
        for (String name : union(files.keySet(), shapes.keySet())) {
            if (!known.contains(name)) {
                throw CliFailure.usage("the model has no input '" + name + "'; its inputs are " + known);
            }
        }
        RandomTensors random = new RandomTensors(RunCommand.DEFAULT_SEED);
        List<Tensor> tensors = new ArrayList<>();
        for (InputMetadata input : inputs) {
            Path file = files.get(input.name());
            tensors.add(file != null ? NpyFiles.readInput(input.name(), file)
                    : random.generate(input.name(), input.type(), dims(input, shapes.get(input.name()))));
        }
        return tensors;
    }

    private static long[] dims(InputMetadata input, long[] given) {
        if (given != null) {
            if (given.length != input.shape().length) {
                throw CliFailure.usage("input '" + input.name() + "' has rank " + input.shape().length
                        + ", but --shape gives " + given.length + " dimensions");
            }
            return given;
        }
        long[] dims = input.shape().clone();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                dims[i] = 1;
            }
        }
        return dims;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return all;
    }
}
