package dev.tern.compress.prune;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * How sparse one weight is: its exact zeros (+0 and -0) among its entries.
 *
 * @param weight the initializer's name
 * @param zeros entries equal to zero
 * @param count all entries
 */
public record WeightSparsity(String weight, long zeros, long count) {
    /** The fraction of entries that are zero; 0 for an empty tensor. */
    public double fraction() {
        return count == 0 ? 0 : (double) zeros / count;
    }

    /** The sparsity of every float32, float64 and float16 initializer of rank 1 or more of the main graph, in graph order. */
    public static List<WeightSparsity> of(Model model) {
        List<WeightSparsity> weights = new ArrayList<>();
        for (Value value : model.graph().initializers().values()) {
            Tensor tensor = value.initializer();
            if (tensor != null && tensor.rank() > 0 && countsZeros(tensor.elementType())) {
                weights.add(new WeightSparsity(value.name(), zeros(tensor), tensor.elementCount()));
            }
        }
        return weights;
    }

    /** The zeros over all {@code weights} together. */
    public static WeightSparsity total(List<WeightSparsity> weights) {
        return new WeightSparsity("all", weights.stream().mapToLong(WeightSparsity::zeros).sum(),
                weights.stream().mapToLong(WeightSparsity::count).sum());
    }

    private static boolean countsZeros(ElementType type) {
        return type == ElementType.FLOAT || type == ElementType.DOUBLE || type == ElementType.FLOAT16;
    }

    /** Zeros read straight from the little-endian bytes: the sign bit aside, all bits clear. */
    private static long zeros(Tensor tensor) {
        ByteBuffer data = tensor.data();
        long zeros = 0;
        switch (tensor.elementType()) {
            case FLOAT -> {
                for (int i = 0; i < data.limit(); i += Float.BYTES) {
                    zeros += (data.getInt(i) & 0x7fffffff) == 0 ? 1 : 0;
                }
            }
            case DOUBLE -> {
                for (int i = 0; i < data.limit(); i += Double.BYTES) {
                    zeros += (data.getLong(i) & 0x7fffffffffffffffL) == 0 ? 1 : 0;
                }
            }
            default -> {
                for (int i = 0; i < data.limit(); i += Short.BYTES) {
                    zeros += (data.getShort(i) & 0x7fff) == 0 ? 1 : 0;
                }
            }
        }
        return zeros;
    }
}
