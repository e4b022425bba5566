package dev.tern.cli.internal;

import dev.tern.exec.IoSpec;
import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shapes of generated inputs. Symbolic dimensions take the sizes given on the command line;
 * any left unset, and every unknown dimension, take {@value #DEFAULT_SIZE}. Defaults are
 * recorded so the report can say which sizes nobody chose.
 */
final class DimensionSizes {
    static final long DEFAULT_SIZE = 1;

    private final Map<String, Long> given;
    private final Map<String, Long> used = new LinkedHashMap<>();
    private final Set<String> defaulted = new LinkedHashSet<>();

    private DimensionSizes(Map<String, Long> given) {
        this.given = given;
    }

    /**
     * Sizes for the inputs of one model.
     *
     * @param given sizes by symbolic dimension name, each at least 1
     * @throws CliFailure (usage) if a name is no symbolic dimension of any input, which is
     *     most likely a typo
     */
    static DimensionSizes of(Map<String, Long> given, List<IoSpec> inputs) {
        Set<String> symbols = symbols(inputs);
        for (String name : given.keySet()) {
            if (!symbols.contains(name)) {
                throw CliFailure.usage("--dim " + name + ": the model's inputs have no symbolic dimension '" + name
                        + "'" + (symbols.isEmpty() ? "" : "; they have " + symbols));
            }
        }
        return new DimensionSizes(new LinkedHashMap<>(given));
    }

    /**
     * Sizes where {@code batch} also sets every input's first dimension that is symbolic.
     *
     * @throws CliFailure (usage) if no input's first dimension is symbolic, or --dim gave that
     *     dimension another size
     */
    static DimensionSizes withBatch(Map<String, Long> given, long batch, List<IoSpec> inputs) {
        if (inputs.stream().noneMatch(input -> firstDim(input) instanceof Dim.Symbolic)) {
            throw CliFailure.usage("--batch: no input's first dimension is symbolic, so the batch size is fixed;"
                    + " the inputs are " + inputs);
        }
        Map<String, Long> sizes = new LinkedHashMap<>(given);
        for (IoSpec input : inputs) {
            if (firstDim(input) instanceof Dim.Symbolic symbolic) {
                Long earlier = sizes.putIfAbsent(symbolic.name(), batch);
                if (earlier != null && earlier != batch) {
                    throw CliFailure.usage("--batch " + batch + " sets '" + symbolic.name()
                            + "', the first dimension of input '" + input.name() + "', but --dim "
                            + symbolic.name() + "=" + earlier + " sets it too");
                }
            }
        }
        return of(sizes, inputs);
    }

    /**
     * The dimensions to generate {@code input} with.
     *
     * @throws CliFailure (usage) for a non-tensor input or one of unknown rank, which cannot be
     *     generated and must be given as a file
     */
    long[] resolve(IoSpec input) {
        if (!(input.type() instanceof ValueType.TensorType tensor) || !tensor.shape().isRankKnown()) {
            throw CliFailure.usage("input '" + input.name() + "' is " + input.type()
                    + ", which cannot be generated at random; give it with --input " + input.name() + "=FILE.npy");
        }
        Shape shape = tensor.shape();
        long[] dims = new long[shape.rank()];
        for (int axis = 0; axis < dims.length; axis++) {
            Dim dim = shape.dim(axis);
            if (dim instanceof Dim.Known known) {
                dims[axis] = known.size();
            } else {
                String name = dim instanceof Dim.Symbolic symbolic ? symbolic.name() : input.name() + "[" + axis + "]";
                dims[axis] = given.getOrDefault(name, DEFAULT_SIZE);
                used.put(name, dims[axis]);
                if (!given.containsKey(name)) {
                    defaulted.add(name);
                }
            }
        }
        return dims;
    }

    /**
     * Every non-fixed dimension {@link #resolve} met so far with the size it took, in order:
     * symbolic ones by name, unknown ones as {@code input[axis]}.
     */
    Map<String, Long> used() {
        return Collections.unmodifiableMap(used);
    }

    /** The names in {@link #used()} that took {@value #DEFAULT_SIZE} because nobody gave a size. */
    Set<String> defaulted() {
        return Collections.unmodifiableSet(defaulted);
    }

    private static Dim firstDim(IoSpec input) {
        if (input.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()
                && tensor.shape().rank() > 0) {
            return tensor.shape().dim(0);
        }
        return null;
    }

    private static Set<String> symbols(List<IoSpec> inputs) {
        Set<String> symbols = new LinkedHashSet<>();
        for (IoSpec input : inputs) {
            if (input.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()) {
                for (Dim dim : tensor.shape().dims()) {
                    if (dim instanceof Dim.Symbolic symbolic) {
                        symbols.add(symbolic.name());
                    }
                }
            }
        }
        return symbols;
    }
}
