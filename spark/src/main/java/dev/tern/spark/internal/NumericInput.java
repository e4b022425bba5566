package dev.tern.spark.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.spark.BadRowException;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * An array or vector column fed to one model input: reads each row's values, checks their
 * count against the input's shape, and packs a batch of rows into one tensor.
 *
 * <p>A row holds the input's elements for one batch entry in row-major order. Its dimensions
 * are the input's shape without the leading batch dimension; at most one of them may be
 * unknown (symbolic), and is then found from the row's length.
 */
public final class NumericInput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String column;
    private final String modelInput;
    private final ElementType type;
    /** The input's dimensions after the batch dimension, -1 for the one that is not known. */
    private final long[] rowDims;
    private final long knownProduct;

    private NumericInput(String column, String modelInput, ElementType type, long[] rowDims) {
        this.column = column;
        this.modelInput = modelInput;
        this.type = type;
        this.rowDims = rowDims;
        long product = 1;
        for (long d : rowDims) {
            product *= d < 0 ? 1 : d;
        }
        this.knownProduct = product;
    }

    /**
     * Binds {@code column} to the model input {@code modelInput} of {@code type} and
     * {@code shape}.
     *
     * @throws IllegalArgumentException if the type is not one a column can feed, or the shape
     *     has no batch dimension or more than one unknown dimension after it
     */
    public static NumericInput of(String column, String modelInput, ElementType type, Shape shape) {
        String where = "column '" + column + "' -> model input '" + modelInput + "' " + shape;
        if (!ColumnTypes.SUPPORTED.contains(type)) {
            throw new IllegalArgumentException(where + ": element type " + type + " cannot be fed from a column,"
                    + " expected one of " + ColumnTypes.SUPPORTED);
        }
        if (!shape.isRankKnown() || shape.rank() < 1) {
            throw new IllegalArgumentException(where + ": expected a batch dimension first, found rank "
                    + (shape.isRankKnown() ? shape.rank() : "unknown"));
        }
        long[] rowDims = new long[shape.rank() - 1];
        int unknown = 0;
        for (int i = 0; i < rowDims.length; i++) {
            Dim dim = shape.dim(i + 1);
            rowDims[i] = dim instanceof Dim.Known known ? known.size() : -1;
            unknown += dim.isKnown() ? 0 : 1;
        }
        if (unknown > 1) {
            throw new IllegalArgumentException(where + ": a row fills at most one unknown dimension after the batch"
                    + " dimension, found " + unknown);
        }
        return new NumericInput(column, modelInput, type, rowDims);
    }

    public String column() {
        return column;
    }

    public String modelInput() {
        return modelInput;
    }

    public ElementType type() {
        return type;
    }

    /**
     * Reads the value at {@code index} of {@code row}.
     *
     * @param where names the row in messages, for example "row 7 of partition 2"
     * @throws BadRowException if the value is null, not an array or vector, holds a null or
     *     a number of the wrong kind, or has a length the input's shape cannot take
     */
    public RowValues read(Row row, int index, String where) {
        if (row.isNullAt(index)) {
            throw bad(where, "is null");
        }
        Object value = row.get(index);
        Object values;
        int length;
        if (value instanceof Vector vector) {
            if (type != ElementType.FLOAT && type != ElementType.DOUBLE) {
                throw bad(where, "is an ML vector, but model input '" + modelInput + "' takes " + type);
            }
            double[] doubles = vector.toArray();
            length = doubles.length;
            values = type == ElementType.DOUBLE ? doubles : toFloats(doubles);
        } else if (value instanceof scala.collection.Seq<?>) {
            List<Object> list = row.getList(index);
            length = list.size();
            values = convert(list, where);
        } else {
            throw bad(where, "expected " + ColumnTypes.accepted(type) + ", found " + value.getClass().getName());
        }
        return new RowValues(values, dimsOf(length, where));
    }

    /** One tensor holding {@code rows}, which all have the same dims, along a new batch dimension. */
    public Tensor pack(List<RowValues> rows) {
        long[] rowShape = rows.get(0).dims();
        long[] dims = new long[rowShape.length + 1];
        dims[0] = rows.size();
        System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
        int width = java.lang.reflect.Array.getLength(rows.get(0).values());
        Object all = java.lang.reflect.Array.newInstance(rows.get(0).values().getClass().getComponentType(),
                width * rows.size());
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r).values(), 0, all, r * width, width);
        }
        return switch (type) {
            case FLOAT -> Tensor.ofFloats(modelInput, dims, (float[]) all);
            case DOUBLE -> Tensor.ofDoubles(modelInput, dims, (double[]) all);
            case INT64 -> Tensor.ofLongs(modelInput, dims, (long[]) all);
            case INT32 -> Tensor.ofInts(modelInput, dims, (int[]) all);
            default -> throw new IllegalStateException("unsupported element type " + type);
        };
    }

    private long[] dimsOf(int length, String where) {
        long[] dims = rowDims.clone();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                if (length % knownProduct != 0 || length == 0) {
                    throw bad(where, "has " + length + " values; model input '" + modelInput + "' needs a positive"
                            + " multiple of " + knownProduct + " per row (" + describe() + ")");
                }
                dims[i] = length / knownProduct;
                return dims;
            }
        }
        if (length != knownProduct) {
            throw bad(where, "has " + length + " values; model input '" + modelInput + "' needs " + knownProduct
                    + " per row (" + describe() + ")");
        }
        return dims;
    }

    private Object convert(List<Object> list, String where) {
        int n = list.size();
        switch (type) {
            case FLOAT -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = number(list, i, where).floatValue();
                }
                return out;
            }
            case DOUBLE -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = number(list, i, where).doubleValue();
                }
                return out;
            }
            case INT64 -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = integer(list, i, where);
                }
                return out;
            }
            case INT32 -> {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Math.toIntExact(integer(list, i, where));
                }
                return out;
            }
            default -> throw new IllegalStateException("unsupported element type " + type);
        }
    }

    private Number number(List<Object> list, int i, String where) {
        Object element = list.get(i);
        if (element instanceof Number number) {
            return number;
        }
        throw bad(where, "element " + i + " is " + (element == null ? "null" : element.getClass().getName())
                + ", expected a number");
    }

    private long integer(List<Object> list, int i, String where) {
        Number number = number(list, i, where);
        if (number instanceof Float || number instanceof Double) {
            throw bad(where, "element " + i + " is " + number + ", expected an integer for " + type + " input '"
                    + modelInput + "'");
        }
        return number.longValue();
    }

    private static float[] toFloats(double[] doubles) {
        float[] floats = new float[doubles.length];
        for (int i = 0; i < doubles.length; i++) {
            floats[i] = (float) doubles[i];
        }
        return floats;
    }

    private String describe() {
        StringBuilder shape = new StringBuilder("[batch");
        for (long d : rowDims) {
            shape.append(", ").append(d < 0 ? "?" : Long.toString(d));
        }
        return shape.append("]").toString();
    }

    private BadRowException bad(String where, String what) {
        return new BadRowException("column '" + column + "', " + where + ": " + what);
    }

    @Override
    public String toString() {
        return "column '" + column + "' -> " + type + " input '" + modelInput + "' " + describe();
    }
}
