package dev.tern.compress.internal;

import dev.tern.compress.EnsembleException;
import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ensemble's graph inputs, shared by name among its members. The first member to name an
 * input defines its type; a later member must agree on the element type and, at equal rank, on
 * every dimension both know. A member of another rank is fed through a Reshape adapter when
 * both layouts know every dimension but the first (the batch) and hold the same number of
 * elements per example, as [batch, 64] and [batch, 1, 8, 8].
 */
final class SharedInputs {
    private record Definition(Value value, ValueType.TensorType type, int member) {
    }

    private final Graph ensemble;
    private final Map<String, Definition> definitions = new LinkedHashMap<>();

    SharedInputs(Graph ensemble) {
        this.ensemble = ensemble;
    }

    /**
     * The ensemble value that feeds {@code memberInput} of member {@code member}: the shared
     * input itself, or a Reshape of it named {@code prefix + input name}.
     *
     * @throws EnsembleException naming the member and input if the input is not a tensor or
     *     disagrees with the member that defined it and no Reshape fits
     */
    Value feed(int member, String prefix, Value memberInput) {
        if (!(memberInput.type() instanceof ValueType.TensorType type)) {
            throw new EnsembleException("member " + member + " input '" + memberInput.name()
                    + "': expected a tensor input, found " + memberInput.type());
        }
        Definition shared = definitions.get(memberInput.name());
        if (shared == null) {
            Value input = new Value(memberInput.name(), type);
            ensemble.addInput(input);
            definitions.put(input.name(), new Definition(input, type, member));
            return input;
        }
        if (shared.type().elementType() != type.elementType()) {
            throw disagreement(member, memberInput.name(), type, shared, "element types differ");
        }
        Shape mine = type.shape();
        Shape theirs = shared.type().shape();
        if (!mine.isRankKnown() || !theirs.isRankKnown() || mine.rank() == theirs.rank()) {
            requireCompatibleDims(member, memberInput.name(), type, shared);
            return shared.value();
        }
        if (!reshapeFits(mine, theirs)) {
            throw disagreement(member, memberInput.name(), type, shared,
                    "ranks differ and no Reshape fits (every dimension but the first must be known and hold as many"
                            + " elements per example)");
        }
        return reshape(shared.value(), prefix + memberInput.name(), type);
    }

    private void requireCompatibleDims(int member, String name, ValueType.TensorType type, Definition shared) {
        if (!type.shape().isRankKnown() || !shared.type().shape().isRankKnown()) {
            return;
        }
        for (int axis = 0; axis < type.shape().rank(); axis++) {
            if (type.shape().dim(axis) instanceof Dim.Known mine
                    && shared.type().shape().dim(axis) instanceof Dim.Known theirs
                    && mine.size() != theirs.size()) {
                throw disagreement(member, name, type, shared, "dimension " + axis + " differs");
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
        ensemble.addInitializer(shape);
        Value output = new Value(adapted, type);
        Node adapter = new Node(Node.DEFAULT_DOMAIN, "Reshape", List.of(shared, shape), List.of(output), List.of());
        adapter.setName(adapted + "/adapter");
        ensemble.appendNode(adapter);
        return output;
    }

    private static EnsembleException disagreement(int member, String name, ValueType.TensorType type,
                                                  Definition shared, String why) {
        return new EnsembleException("member " + member + " input '" + name + "' is " + type + " but member "
                + shared.member() + " has " + shared.type() + ": " + why);
    }
}
