package dev.tern.ir.internal.folding;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Operators that move elements without computing: Identity, Reshape, Flatten, Squeeze and
 * Unsqueeze (axes from the input, opset 13 on, or the attribute before), which only change
 * dimensions and keep the data, for every element type; Transpose and Concat, which copy
 * bytes, for types of whole bytes; and Shape (with opset 15's {@code start} and {@code end}).
 */
final class LayoutKernels {
    private LayoutKernels() {
    }

    static Optional<List<Tensor>> identity(Node node, List<Tensor> inputs) {
        return Optional.of(List.of(inputs.get(0).withName("")));
    }

    static Optional<List<Tensor>> reshape(Node node, List<Tensor> inputs) {
        if (inputs.size() < 2 || inputs.get(1) == null) {
            return Optional.empty();
        }
        Tensor data = inputs.get(0);
        long[] requested = Numbers.longs(inputs.get(1));
        boolean allowZero = node.attribute("allowzero").map(Attribute::asInt).orElse(0L) != 0;
        long[] dims = new long[requested.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] == -1) {
                if (inferred >= 0) {
                    return Optional.empty();
                }
                inferred = i;
                continue;
            }
            if (requested[i] == 0 && !allowZero) {
                if (i >= data.rank()) {
                    return Optional.empty();
                }
                dims[i] = data.dims()[i];
            } else if (requested[i] < 0) {
                return Optional.empty();
            } else {
                dims[i] = requested[i];
            }
            known *= dims[i];
        }
        if (inferred >= 0) {
            if (known == 0 || data.elementCount() % known != 0) {
                return Optional.empty();
            }
            dims[inferred] = data.elementCount() / known;
        }
        return withDims(data, dims);
    }

    static Optional<List<Tensor>> flatten(Node node, List<Tensor> inputs) {
        Tensor data = inputs.get(0);
        long axis = node.attribute("axis").map(Attribute::asInt).orElse(1L);
        if (axis < 0) {
            axis += data.rank();
        }
        if (axis < 0 || axis > data.rank()) {
            return Optional.empty();
        }
        long[] dims = data.dims();
        long outer = Numbers.elementCount(Arrays.copyOfRange(dims, 0, (int) axis));
        long inner = Numbers.elementCount(Arrays.copyOfRange(dims, (int) axis, dims.length));
        return withDims(data, new long[] {outer, inner});
    }

    static Optional<List<Tensor>> squeeze(Node node, List<Tensor> inputs) {
        Tensor data = inputs.get(0);
        long[] dims = data.dims();
        Optional<long[]> axes = axes(node, inputs);
        boolean[] dropped = new boolean[dims.length];
        if (axes.isEmpty()) {
            for (int i = 0; i < dims.length; i++) {
                dropped[i] = dims[i] == 1;
            }
        } else {
            for (long axis : axes.get()) {
                long normalized = axis < 0 ? axis + dims.length : axis;
                if (normalized < 0 || normalized >= dims.length || dims[(int) normalized] != 1) {
                    return Optional.empty();
                }
                dropped[(int) normalized] = true;
            }
        }
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (!dropped[i]) {
                kept.add(dims[i]);
            }
        }
        return withDims(data, kept.stream().mapToLong(Long::longValue).toArray());
    }

    static Optional<List<Tensor>> unsqueeze(Node node, List<Tensor> inputs) {
        Tensor data = inputs.get(0);
        Optional<long[]> axes = axes(node, inputs);
        if (axes.isEmpty()) {
            return Optional.empty();
        }
        int rank = data.rank() + axes.get().length;
        boolean[] inserted = new boolean[rank];
        for (long axis : axes.get()) {
            long normalized = axis < 0 ? axis + rank : axis;
            if (normalized < 0 || normalized >= rank || inserted[(int) normalized]) {
                return Optional.empty();
            }
            inserted[(int) normalized] = true;
        }
        long[] source = data.dims();
        long[] dims = new long[rank];
        for (int i = 0, next = 0; i < rank; i++) {
            dims[i] = inserted[i] ? 1 : source[next++];
        }
        return withDims(data, dims);
    }

    static Optional<List<Tensor>> transpose(Node node, List<Tensor> inputs) {
        Tensor data = inputs.get(0);
        if (!isWholeBytes(data.elementType())) {
            return Optional.empty();
        }
        int rank = data.rank();
        long[] dims = data.dims();
        long[] perm = node.attribute("perm").map(Attribute::asInts).orElseGet(() -> reversed(rank));
        if (!isPermutation(perm, rank)) {
            return Optional.empty();
        }
        long[] outDims = new long[rank];
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= dims[i];
        }
        long[] strideOfOutAxis = new long[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = dims[(int) perm[i]];
            strideOfOutAxis[i] = inStrides[(int) perm[i]];
        }
        int elementBytes = data.elementType().bitWidth() / 8;
        int count = Math.toIntExact(data.elementCount());
        ByteBuffer in = data.data();
        ByteBuffer out = ByteBuffer.allocateDirect(count * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] position = new long[rank];
        long source = 0;
        for (int flat = 0; flat < count; flat++) {
            out.put(flat * elementBytes, in, (int) source * elementBytes, elementBytes);
            for (int axis = rank - 1; axis >= 0; axis--) {
                position[axis]++;
                source += strideOfOutAxis[axis];
                if (position[axis] < outDims[axis]) {
                    break;
                }
                source -= strideOfOutAxis[axis] * position[axis];
                position[axis] = 0;
            }
        }
        return Optional.of(List.of(Tensor.of("", data.elementType(), outDims, out)));
    }

    static Optional<List<Tensor>> concat(Node node, List<Tensor> inputs) {
        Tensor first = inputs.get(0);
        Optional<Attribute> axisAttribute = node.attribute("axis");
        if (axisAttribute.isEmpty() || !isWholeBytes(first.elementType()) || inputs.contains(null)) {
            return Optional.empty();
        }
        int rank = first.rank();
        long axis = axisAttribute.get().asInt();
        axis = axis < 0 ? axis + rank : axis;
        if (axis < 0 || axis >= rank) {
            return Optional.empty();
        }
        long[] outDims = first.dims();
        outDims[(int) axis] = 0;
        for (Tensor input : inputs) {
            if (!fitsConcat(input, first, (int) axis)) {
                return Optional.empty();
            }
            outDims[(int) axis] += input.dims()[(int) axis];
        }
        int elementBytes = first.elementType().bitWidth() / 8;
        long inner = Numbers.elementCount(Arrays.copyOfRange(outDims, (int) axis + 1, rank)) * elementBytes;
        long outer = Numbers.elementCount(Arrays.copyOfRange(outDims, 0, (int) axis));
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(Numbers.elementCount(outDims) * elementBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (long block = 0; block < outer; block++) {
            for (Tensor input : inputs) {
                int chunk = Math.toIntExact(input.dims()[(int) axis] * inner);
                out.put(input.data().position(Math.toIntExact(block * chunk)).limit(Math.toIntExact((block + 1) * chunk)));
            }
        }
        out.flip();
        return Optional.of(List.of(Tensor.of("", first.elementType(), outDims, out)));
    }

    static Optional<List<Tensor>> shape(Node node, List<Tensor> inputs) {
        long[] dims = inputs.get(0).dims();
        int rank = dims.length;
        long start = clampAxis(node.attribute("start").map(Attribute::asInt).orElse(0L), rank);
        long end = clampAxis(node.attribute("end").map(Attribute::asInt).orElse((long) rank), rank);
        long[] slice = Arrays.copyOfRange(dims, (int) start, (int) Math.max(start, end));
        return Optional.of(List.of(Tensor.ofLongs("", new long[] {slice.length}, slice)));
    }

    /** Squeeze's and Unsqueeze's axes: the second input from opset 13 on, the attribute before. */
    private static Optional<long[]> axes(Node node, List<Tensor> inputs) {
        if (inputs.size() > 1 && inputs.get(1) != null) {
            return Optional.of(Numbers.longs(inputs.get(1)));
        }
        return node.attribute("axes").map(Attribute::asInts);
    }

    private static Optional<List<Tensor>> withDims(Tensor data, long[] dims) {
        if (Numbers.elementCount(dims) != data.elementCount()) {
            return Optional.empty();
        }
        Tensor reshaped = data.elementType() == ElementType.STRING
                ? Tensor.ofStrings("", dims, data.strings())
                : Tensor.of("", data.elementType(), dims, data.data());
        return Optional.of(List.of(reshaped));
    }

    private static boolean isWholeBytes(ElementType type) {
        return type.isFixedWidth() && type.bitWidth() % 8 == 0;
    }

    private static boolean fitsConcat(Tensor input, Tensor first, int axis) {
        if (input.elementType() != first.elementType() || input.rank() != first.rank()) {
            return false;
        }
        for (int i = 0; i < first.rank(); i++) {
            if (i != axis && input.dims()[i] != first.dims()[i]) {
                return false;
            }
        }
        return true;
    }

    private static long[] reversed(int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = rank - 1 - i;
        }
        return perm;
    }

    private static boolean isPermutation(long[] perm, int rank) {
        if (perm.length != rank) {
            return false;
        }
        boolean[] seen = new boolean[rank];
        for (long axis : perm) {
            if (axis < 0 || axis >= rank || seen[(int) axis]) {
                return false;
            }
            seen[(int) axis] = true;
        }
        return true;
    }

    private static long clampAxis(long axis, int rank) {
        long normalized = axis < 0 ? axis + rank : axis;
        return Math.max(0, Math.min(rank, normalized));
    }
}
