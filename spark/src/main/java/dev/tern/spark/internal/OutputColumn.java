package dev.tern.spark.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.io.Serializable;

/**
 * A model output written to a new array column: row {@code r} of the output tensor (its
 * elements after the batch dimension, row-major), or, mean-pooled, the average of its token
 * vectors where the attention mask is 1 (the sentence embedding of an encoder's token states).
 */
public final class OutputColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelOutput;
    private final String column;
    private final ElementType type;
    private final boolean meanPooled;

    public OutputColumn(String modelOutput, String column, ElementType type, boolean meanPooled) {
        if (!ColumnTypes.SUPPORTED.contains(type)) {
            throw new IllegalArgumentException("model output '" + modelOutput + "' has element type " + type
                    + ", which no column holds; expected one of " + ColumnTypes.SUPPORTED);
        }
        if (meanPooled && type != ElementType.FLOAT) {
            throw new IllegalArgumentException("model output '" + modelOutput + "' is " + type
                    + "; mean pooling takes FLOAT token states");
        }
        this.modelOutput = modelOutput;
        this.column = column;
        this.type = type;
        this.meanPooled = meanPooled;
    }

    public String modelOutput() {
        return modelOutput;
    }

    public String column() {
        return column;
    }

    public ElementType type() {
        return type;
    }

    public boolean meanPooled() {
        return meanPooled;
    }

    /**
     * Row {@code row} of {@code output} as a primitive array.
     *
     * @param flat the output's elements, read once per batch ({@code float[]} etc.)
     * @param mask the attention mask {@code [batch, tokens]} for mean pooling, else null
     */
    public Object rowOf(Tensor output, Object flat, int row, long[] mask) {
        long[] dims = output.dims();
        int width = Math.toIntExact(output.elementCount() / dims[0]);
        if (meanPooled) {
            return meanPool((float[]) flat, row, (int) dims[1], width / (int) dims[1], mask);
        }
        Object out = java.lang.reflect.Array.newInstance(flat.getClass().getComponentType(), width);
        System.arraycopy(flat, row * width, out, 0, width);
        return out;
    }

    /** The output's elements as the primitive array {@link #rowOf} takes. */
    public Object flat(Tensor output) {
        return switch (type) {
            case FLOAT -> output.toFloatArray();
            case DOUBLE -> output.toDoubleArray();
            case INT64 -> output.toLongArray();
            case INT32 -> output.toIntArray();
            default -> throw new IllegalStateException("unsupported element type " + type);
        };
    }

    private static float[] meanPool(float[] states, int row, int tokens, int hidden, long[] mask) {
        float[] sum = new float[hidden];
        long count = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[row * tokens + t] == 0) {
                continue;
            }
            count++;
            int base = (row * tokens + t) * hidden;
            for (int h = 0; h < hidden; h++) {
                sum[h] += states[base + h];
            }
        }
        for (int h = 0; h < hidden; h++) {
            sum[h] /= Math.max(count, 1);
        }
        return sum;
    }
}
