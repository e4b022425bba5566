package dev.tern.exec.internal;

import dev.tern.exec.InvalidInputException;
import dev.tern.exec.IoSpec;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the inputs of one run against a model's signature in Java, so a bad call fails with
 * a message naming the model, the input and expected versus found instead of reaching native
 * code. A symbolic dimension must have the same size in every input that uses it.
 */
public final class InputCheck {
    private final String model;
    private final Map<String, IoSpec> inputs = new LinkedHashMap<>();
    private final List<String> names;
    /** Per input in model order: what {@link #accepts} compares without allocating; null for a non-tensor input. */
    private final Expected[] expected;
    private final int symbolCount;

    public InputCheck(String model, List<IoSpec> signature) {
        this.model = model;
        for (IoSpec spec : signature) {
            inputs.put(spec.name(), spec);
        }
        this.names = List.copyOf(inputs.keySet());
        Map<String, Integer> symbols = new HashMap<>();
        this.expected = new Expected[names.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Expected.of(inputs.get(names.get(i)), symbols);
        }
        this.symbolCount = symbols.size();
    }

    /** The input names in the model's order; checking in this order makes messages deterministic. */
    public List<String> names() {
        return names;
    }

    /**
     * A table for {@link #accepts} to record the sizes of symbolic dimensions in during one run;
     * every entry starts unbound.
     */
    public long[] newSymbolTable() {
        long[] sizes = new long[symbolCount];
        Arrays.fill(sizes, -1);
        return sizes;
    }

    /**
     * Whether input {@code index} (in the order of {@link #names()}) accepts a tensor of
     * {@code type} and {@code dims}: the same rules as {@link Run#check}, without allocating or
     * explaining. Binds symbolic dimensions in {@code symbols} (from {@link #newSymbolTable()}).
     * When it answers false, {@link Run#check} says why.
     */
    public boolean accepts(int index, ElementType type, long[] dims, long[] symbols) {
        Expected input = expected[index];
        if (input == null || input.type != type) {
            return false;
        }
        if (input.known == null) {
            return true;
        }
        if (input.known.length != dims.length) {
            return false;
        }
        for (int axis = 0; axis < dims.length; axis++) {
            long known = input.known[axis];
            if (known >= 0 && known != dims[axis]) {
                return false;
            }
            int symbol = input.symbols[axis];
            if (symbol >= 0) {
                if (symbols[symbol] < 0) {
                    symbols[symbol] = dims[axis];
                } else if (symbols[symbol] != dims[axis]) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Starts checking one run's inputs: every name must be an input and every input given.
     *
     * @throws InvalidInputException listing the expected names for an unknown one, or the missing ones
     */
    public Run start(Set<String> given) {
        if (given.size() != inputs.size() || !inputs.keySet().containsAll(given)) {
            for (String name : given) {
                if (!inputs.containsKey(name)) {
                    throw new InvalidInputException("model '" + model + "': unknown input '" + name
                            + "', expected one of " + inputs.keySet());
                }
            }
            List<String> missing = new ArrayList<>();
            for (String name : inputs.keySet()) {
                if (!given.contains(name)) {
                    missing.add(name);
                }
            }
            throw new InvalidInputException("model '" + model + "': missing input" + (missing.size() > 1 ? "s " : " ")
                    + missing + "; the model needs " + inputs.keySet() + ", found " + given);
        }
        return new Run();
    }

    /** Sizes bound to symbolic dimensions so far in one run; not thread-safe, one per run. */
    public final class Run {
        private Map<String, Binding> symbols;

        private Run() {
        }

        /**
         * Checks one tensor input.
         *
         * @throws InvalidInputException for a non-tensor input, a wrong element type, rank or
         *     dimension, or a symbolic dimension whose size differs from another input's
         */
        public void check(String name, ElementType type, long[] dims) {
            IoSpec spec = inputs.get(name);
            if (!(spec.type() instanceof ValueType.TensorType expected)) {
                throw new InvalidInputException("model '" + model + "': input '" + name + "' is " + spec.type()
                        + "; only tensor inputs can be fed");
            }
            if (expected.elementType() != type) {
                throw new InvalidInputException("model '" + model + "': input '" + name + "' expects element type "
                        + expected.elementType() + ", found " + type);
            }
            Shape shape = expected.shape();
            if (!shape.isRankKnown()) {
                return;
            }
            if (shape.rank() != dims.length) {
                throw new InvalidInputException("model '" + model + "': input '" + name + "' expects rank "
                        + shape.rank() + " " + shape + ", found rank " + dims.length + " " + Arrays.toString(dims));
            }
            for (int axis = 0; axis < dims.length; axis++) {
                Dim dim = shape.dim(axis);
                if (dim instanceof Dim.Known known && known.size() != dims[axis]) {
                    throw new InvalidInputException("model '" + model + "': input '" + name + "' dimension " + axis
                            + " must be " + known.size() + " " + shape + ", found " + dims[axis] + " "
                            + Arrays.toString(dims));
                }
                if (dim instanceof Dim.Symbolic symbolic) {
                    bind(symbolic.name(), dims[axis], name, axis);
                }
            }
        }

        private void bind(String symbol, long size, String input, int axis) {
            if (symbols == null) {
                symbols = new HashMap<>();
            }
            Binding earlier = symbols.putIfAbsent(symbol, new Binding(size, input, axis));
            if (earlier != null && earlier.size != size) {
                throw new InvalidInputException("model '" + model + "': input '" + input + "' dimension " + axis
                        + " ('" + symbol + "') is " + size + ", but input '" + earlier.input + "' dimension "
                        + earlier.axis + " set '" + symbol + "' to " + earlier.size);
            }
        }
    }

    private record Binding(long size, String input, int axis) {
    }

    /**
     * One tensor input's expectations: element type, and for a known rank the size of each
     * known dimension (-1 otherwise) and the index of each symbolic one (-1 otherwise).
     */
    private record Expected(ElementType type, long[] known, int[] symbols) {
        static Expected of(IoSpec spec, Map<String, Integer> symbolIndex) {
            if (!(spec.type() instanceof ValueType.TensorType tensor)) {
                return null;
            }
            Shape shape = tensor.shape();
            if (!shape.isRankKnown()) {
                return new Expected(tensor.elementType(), null, null);
            }
            long[] known = new long[shape.rank()];
            int[] symbols = new int[shape.rank()];
            for (int axis = 0; axis < known.length; axis++) {
                Dim dim = shape.dim(axis);
                known[axis] = dim instanceof Dim.Known k ? k.size() : -1;
                symbols[axis] = dim instanceof Dim.Symbolic s
                        ? symbolIndex.computeIfAbsent(s.name(), name -> symbolIndex.size()) : -1;
            }
            return new Expected(tensor.elementType(), known, symbols);
        }
    }
}
