package dev.tern.compress.quantize.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Questions about constant float weights, and the few reshapes of them quantization needs. */
public final class Weights {
    private Weights() {
    }

    /**
     * Whether {@code value} is a FLOAT initializer of {@code graph} that no run can override: an
     * initializer also listed among the graph inputs may be fed a different value, so it stays float.
     */
    public static boolean isConstantFloat(Graph graph, Value value) {
        return value != null
                && value.isInitializer()
                && value.initializer().elementType() == ElementType.FLOAT
                && !graph.inputs().contains(value);
    }

    /** A rank-2 FLOAT tensor transposed, as Gemm's {@code transB} weight is stored. */
    public static Tensor transpose(Tensor matrix) {
        long[] dims = matrix.dims();
        int rows = Math.toIntExact(dims[0]);
        int columns = Math.toIntExact(dims[1]);
        float[] values = matrix.toFloatArray();
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = values[r * columns + c];
            }
        }
        return Tensor.ofFloats(matrix.name(), new long[] {columns, rows}, transposed);
    }

    /** A FLOAT tensor with every element multiplied by {@code factor}. */
    public static Tensor scaled(Tensor tensor, float factor, String name) {
        float[] values = tensor.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return Tensor.ofFloats(name, tensor.dims(), values);
    }

    /** Integers as an INT32 tensor of the given shape. */
    public static Tensor int32(String name, long[] dims, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return Tensor.of(name, ElementType.INT32, dims, bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
}
