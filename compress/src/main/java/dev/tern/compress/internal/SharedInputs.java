package dev.tern.compress.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.TernException;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The graph inputs of a merged graph (an ensemble, a student with its teacher), shared by name
 * among the models merged into it. The first model to name an input defines its type; a later
 * one must agree on the element type and, at equal rank, on every dimension both know. A model
 * of another rank is fed through a Reshape adapter when both layouts know every dimension but
 * the first (the batch) and hold the same number of elements per example, as [batch, 64] and
 * [batch, 1, 8, 8]. Each model is named in errors by a label such as "member 1" or "teacher".
 */
public final class SharedInputs {
    private record Definition(Value value, ValueType.TensorType type, String owner) {
    }

    private final Graph merged;
    private final Function<String, ? extends TernException> failure;
    private final Map<String, Definition> definitions = new LinkedHashMap<>();

    /**
     * @param failure makes the exception a disagreement is reported with, from its message
     */
    public SharedInputs(Graph merged, Function<String, ? extends TernException> failure) {
        this.merged = merged;
        this.failure = failure;
    }

    /**
     * Shares {@code input}, already an input of the merged graph, as defined by {@code owner}.
     *
     * @throws TernException (made by the failure function) if the input is not a tensor
     */
    public void share(String owner, Value input) {
        definitions.put(input.name(), new Definition(input, requireTensor(owner, input), owner));
    }

    /**
     * The merged graph's value that feeds {@code modelInput} of the model {@code owner}: the
     * shared input itself (added to the graph if no model named it before), or a Reshape of it
     * named {@code prefix + input name}.
     *
     * @throws TernException (made by the failure function) naming the model and input if the
     *     input is not a tensor or disagrees with the model that defined it and no Reshape fits
     */
    public Value feed(String owner, String prefix, Value modelInput) {
        ValueType.TensorType type = requireTensor(owner, modelInput);
        Definition shared = definitions.get(modelInput.name());
        if (shared == null) {
            Value input = new Value(modelInput.name(), type);
            merged.addInput(input);
            definitions.put(input.name(), new Definition(input, type, owner));
            return input;
        }
        if (shared.type().elementType() != type.elementType()) {
            throw disagreement(owner, modelInput.name(), type, shared, "element types differ");
        }
        Shape mine = type.shape();
        Shape theirs = shared.type().shape();
        if (!mine.isRankKnown() || !theirs.isRankKnown() || mine.rank() == theirs.rank()) {
            requireCompatibleDims(owner, modelInput.name(), type, shared);
            return shared.value();
        }
        if (!reshapeFits(mine, theirs)) {
            throw disagreement(owner, modelInput.name(), type, shared,
                    "ranks differ and no Reshape fits (every dimension but the first must be known and hold as many"
                            + " elements per example)");
        }
        return reshape(shared.value(), prefix + modelInput.name(), type);
    }

    private ValueType.TensorType requireTensor(String owner, Value input) {
        if (!(input.type() instanceof ValueType.TensorType type)) {
            throw failure.apply(owner + " input '" + input.name() + "': expected a tensor input, found " + input.type());
        }
        return type;
    }

    private void requireCompatibleDims(String owner, String name, ValueType.TensorType type, Definition shared) {
        if (!type.shape().isRankKnown() || !shared.type().shape().isRankKnown()) {
            return;
        }
        for (int axis = 0; axis < type.shape().rank(); axis++) {
            if (type.shape().dim(axis) instanceof Dim.Known mine
                    && shared.type().shape().dim(axis) instanceof Dim.Known theirs
                    && mine.size() != theirs.size()) {
                throw disagreement(owner, name, type, shared, "dimension " + axis + " differs");
            }
        }
    }

    private static boolean reshapeFits(Shape mine, Shape theirs) {
        long mineElements = elementsPerExample(mine);
        return mineElements > 0 && mineElements == elementsPerExample(theirs);
    }

    /** The product of every dimension but the first, or -1 when one of them is not known. */
    private static long elementsPerExample(Shape shape) {
        long product = 1;
        for (Dim dim : shape.dims().subList(Math.min(1, shape.rank()), shape.rank())) {
            if (!(dim instanceof Dim.Known known)) {
                return -1;
            }
            product *= known.size();
        }
        return product;
    }

    private Value reshape(Value shared, String adapted, ValueType.TensorType type) {
        List<Dim> dims = type.shape().dims();
        long[] target = new long[dims.size()];
        target[0] = -1;
        for (int axis = 1; axis < target.length; axis++) {
            target[axis] = ((Dim.Known) dims.get(axis)).size();
        }
        String shapeName = adapted + "/adapter_shape";
        Value shape = Value.constant(shapeName, Tensor.ofLongs(shapeName, new long[] {target.length}, target));
        merged.addInitializer(shape);
        Value output = new Value(adapted, type);
        Node adapter = new Node(Node.DEFAULT_DOMAIN, "Reshape", List.of(shared, shape), List.of(output), List.of());
        adapter.setName(adapted + "/adapter");
        merged.appendNode(adapter);
        return output;
    }

    private TernException disagreement(String owner, String name, ValueType.TensorType type, Definition shared,
                                       String why) {
        return failure.apply(owner + " input '" + name + "' is " + type + " but " + shared.owner() + " has "
                + shared.type() + ": " + why);
    }
}
