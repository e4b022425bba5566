package dev.tern.spark.internal;

import dev.tern.ir.ElementType;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Which Spark column types feed which model element types, and the array type of each output. */
public final class ColumnTypes {
    /** Element types a numeric column can feed and an output column can hold. */
    public static final Set<ElementType> SUPPORTED =
            Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32);

    private static final Set<DataType> INTEGRAL =
            Set.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);
    private static final Set<DataType> FLOATING = Set.of(DataTypes.FloatType, DataTypes.DoubleType);

    private ColumnTypes() {
    }

    /** The Spark element type holding a model output's elements. */
    public static DataType sparkElement(ElementType type) {
        return switch (type) {
            case FLOAT -> DataTypes.FloatType;
            case DOUBLE -> DataTypes.DoubleType;
            case INT64 -> DataTypes.LongType;
            case INT32 -> DataTypes.IntegerType;
            default -> throw new IllegalArgumentException("no Spark column type for " + type);
        };
    }

    /** The array column type of an output of {@code type}. */
    public static ArrayType outputColumn(ElementType type) {
        return DataTypes.createArrayType(sparkElement(type), false);
    }

    /**
     * Whether a column of {@code column} type can feed a model input of {@code type}: any
     * numeric array or an ML vector feeds a floating-point input; integral inputs take integral
     * arrays only, so that no fraction is dropped silently.
     */
    public static boolean canFeed(DataType column, ElementType type) {
        boolean floatingInput = type == ElementType.FLOAT || type == ElementType.DOUBLE;
        if (column.equals(SQLDataTypes.VectorType())) {
            return floatingInput;
        }
        if (!(column instanceof ArrayType array)) {
            return false;
        }
        DataType element = array.elementType();
        return INTEGRAL.contains(element) || floatingInput && FLOATING.contains(element);
    }

    /** What {@link #canFeed} accepts for {@code type}, for error messages. */
    public static String accepted(ElementType type) {
        return type == ElementType.FLOAT || type == ElementType.DOUBLE
                ? "an array of numbers or an ML vector"
                : "an array of integers";
    }
}
