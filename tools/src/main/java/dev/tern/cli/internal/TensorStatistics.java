package dev.tern.cli.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's summary says about the values of one output: minimum, maximum and mean for
 * numbers, the count of true elements for booleans, and just the element count otherwise.
 */
sealed interface TensorStatistics {
    /**
     * Statistics of {@code tensor}'s elements. For numbers, NaN elements are counted apart and
     * left out of minimum, maximum and mean (which are NaN when no other element remains).
     */
    static TensorStatistics of(Tensor tensor) {
        ElementType type = tensor.elementType();
        if (type == ElementType.BOOL) {
            return Booleans.of(tensor);
        }
        if (Numbers.isNumeric(type)) {
            return Numbers.of(tensor);
        }
        return new Counted(tensor.elementCount());
    }

    /** The statistics as text for one summary line. */
    String text();

    /** The statistics as fields of a JSON object, always with "count". */
    Map<String, Object> json();

    /** Numbers: minimum, maximum and mean of the elements that are not NaN. */
    record Numbers(long count, double min, double max, double mean, long nanCount) implements TensorStatistics {
        static boolean isNumeric(ElementType type) {
            return switch (type) {
                case FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 -> true;
                default -> false;
            };
        }

        static Numbers of(Tensor tensor) {
            ByteBuffer data = tensor.data();
            long count = tensor.elementCount();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long nanCount = 0;
            for (long i = 0; i < count; i++) {
                double value = next(data, tensor.elementType());
                if (Double.isNaN(value)) {
                    nanCount++;
                } else {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                    sum += value;
                }
            }
            long counted = count - nanCount;
            return counted == 0
                    ? new Numbers(count, Double.NaN, Double.NaN, Double.NaN, nanCount)
                    : new Numbers(count, min, max, sum / counted, nanCount);
        }

        @Override
        public String text() {
            return String.format(Locale.ROOT, "min %.6g  max %.6g  mean %.6g", min, max, mean)
                    + (nanCount == 0 ? "" : "  NaN " + nanCount);
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("count", count);
            json.put("min", min);
            json.put("max", max);
            json.put("mean", mean);
            json.put("nanCount", nanCount);
            return json;
        }

        private static double next(ByteBuffer data, ElementType type) {
            return switch (type) {
                case FLOAT -> data.getFloat();
                case DOUBLE -> data.getDouble();
                case FLOAT16 -> float16(data.getShort());
                case BFLOAT16 -> Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                case INT8 -> data.get();
                case UINT8 -> data.get() & 0xff;
                case INT16 -> data.getShort();
                case UINT16 -> data.getShort() & 0xffff;
                case INT32 -> data.getInt();
                case UINT32 -> data.getInt() & 0xffffffffL;
                case INT64 -> data.getLong();
                case UINT64 -> unsigned(data.getLong());
                default -> throw new IllegalArgumentException("not a number type: " + type);
            };
        }

        private static double float16(short bits) {
            int sign = (bits & 0x8000) != 0 ? -1 : 1;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            if (exponent == 0) {
                return sign * mantissa * 0x1p-24;
            }
            if (exponent == 0x1f) {
                return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
            }
            return sign * (1 + mantissa / 1024.0) * Math.scalb(1.0, exponent - 15);
        }

        private static double unsigned(long value) {
            // The top bit is worth 2^63; halve, convert, double, and add back the lost low bit.
            return value >= 0 ? value : (double) (value >>> 1) * 2 + (value & 1);
        }
    }

    /** Booleans: how many are true. */
    record Booleans(long count, long trueCount) implements TensorStatistics {
        static Booleans of(Tensor tensor) {
            ByteBuffer data = tensor.data();
            long trueCount = 0;
            while (data.hasRemaining()) {
                if (data.get() != 0) {
                    trueCount++;
                }
            }
            return new Booleans(tensor.elementCount(), trueCount);
        }

        @Override
        public String text() {
            return "true " + trueCount + " of " + count;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("count", count);
            json.put("trueCount", trueCount);
            return json;
        }
    }

    /** Strings and types with no useful arithmetic here (complex, float8, 4- and 2-bit): the count. */
    record Counted(long count) implements TensorStatistics {
        @Override
        public String text() {
            return count + " elements";
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("count", count);
            return json;
        }
    }
}
