package dev.tern.train.data;

import dev.tern.ir.ElementType;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a data set from two {@code .npy} files written by numpy: features of shape
 * {@code [count, ...example shape]} and labels of shape {@code [count]}.
 *
 * <p>Features of any integer or float dtype are converted to float32. Integer labels are class
 * indices (the class count is the largest plus one); float labels are targets, of shape
 * {@code [1]} for a {@code [count]} array and {@code [...]} for {@code [count, ...]}.
 */
public final class NpyDatasetReader {
    private NpyDatasetReader() {
    }

    /**
     * Reads both files.
     *
     * @throws DatasetException naming the file if a dtype is not numeric, the features have rank 0,
     *     the counts differ, or a class label is negative
     * @throws dev.tern.ir.NpyFormatException if a file is not valid {@code .npy}
     * @throws IOException if a file cannot be read
     */
    public static Dataset read(Path featuresFile, Path labelsFile) throws IOException {
        Tensor features = NpyFormat.read(featuresFile);
        Tensor labels = NpyFormat.read(labelsFile);
        long[] featureDims = features.dims();
        if (featureDims.length == 0) {
            throw new DatasetException(featuresFile + ": features must have a leading example dimension, found a scalar");
        }
        long count = featureDims[0];
        long[] labelDims = labels.dims();
        if (labelDims.length == 0 || labelDims[0] != count) {
            throw new DatasetException(labelsFile + ": expected " + count + " labels (one per example in "
                    + featuresFile.getFileName() + "), found shape " + Arrays.toString(labelDims));
        }
        long[] exampleShape = featureDims.length == 1 ? new long[] {1} : Arrays.copyOfRange(featureDims, 1, featureDims.length);
        float[] featureValues = NumericConversion.toFloats(features, featuresFile);
        if (isInteger(labels.elementType())) {
            return NumberedClasses.dataset(featureValues, exampleShape, NumericConversion.toLongs(labels, labelsFile), labelsFile);
        }
        long[] targetShape = labelDims.length == 1 ? new long[] {1} : Arrays.copyOfRange(labelDims, 1, labelDims.length);
        return Dataset.ofTargets(featureValues, exampleShape, NumericConversion.toFloats(labels, labelsFile), targetShape);
    }

    private static boolean isInteger(ElementType type) {
        return switch (type) {
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64 -> true;
            default -> false;
        };
    }

    /** Converts numpy's numeric dtypes to the float features and long labels a data set holds. */
    private static final class NumericConversion {
        static float[] toFloats(Tensor tensor, Path file) {
            ByteBuffer data = tensor.data();
            float[] values = new float[Math.toIntExact(tensor.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (tensor.elementType()) {
                    case FLOAT -> data.getFloat(i * 4);
                    case DOUBLE -> (float) data.getDouble(i * 8);
                    default -> (float) integerAt(tensor, data, i, file);
                };
            }
            return values;
        }

        static long[] toLongs(Tensor tensor, Path file) {
            ByteBuffer data = tensor.data();
            long[] values = new long[Math.toIntExact(tensor.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = integerAt(tensor, data, i, file);
            }
            return values;
        }

        private static long integerAt(Tensor tensor, ByteBuffer data, int i, Path file) {
            return switch (tensor.elementType()) {
                case INT8 -> data.get(i);
                case UINT8 -> Byte.toUnsignedLong(data.get(i));
                case INT16 -> data.getShort(i * 2);
                case UINT16 -> Short.toUnsignedLong(data.getShort(i * 2));
                case INT32 -> data.getInt(i * 4);
                case UINT32 -> Integer.toUnsignedLong(data.getInt(i * 4));
                case INT64 -> data.getLong(i * 8);
                default -> throw new DatasetException(file + ": dtype " + tensor.elementType()
                        + " is not supported; expected an integer or float32/float64 array");
            };
        }
    }
}
