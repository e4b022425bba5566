package dev.tern.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sparse tensor in COO form, as ONNX stores it: the non-zero {@code values} (1-D), their
 * {@code indices} (int64, either [NNZ] linearized or [NNZ, rank]) and the dense shape.
 */
public record SparseTensor(Tensor values, Tensor indices, long[] dims) {
    public SparseTensor {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(indices, "indices");
        dims = dims.clone();
    }

    /** The name of the sparse tensor, which ONNX keeps on its values. */
    public String name() {
        return values.name();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseTensor other && values.contentEquals(other.values)
                && indices.contentEquals(other.indices) && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "SparseTensor(" + name() + ": " + values.elementType().onnxName() + Arrays.toString(dims) + ")";
    }
}
