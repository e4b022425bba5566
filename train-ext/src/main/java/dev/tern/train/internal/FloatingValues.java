package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

/** The elements of a float or double tensor as doubles, for measurements that read predictions. */
final class FloatingValues {
    private FloatingValues() {
    }

    /** Whether {@code tensor} holds float or double elements. */
    static boolean isFloating(Tensor tensor) {
        return tensor.elementType() == ElementType.FLOAT || tensor.elementType() == ElementType.DOUBLE;
    }

    /** The elements of a float or double {@code tensor}, widened to double. */
    static double[] of(Tensor tensor) {
        if (tensor.elementType() == ElementType.DOUBLE) {
            return tensor.toDoubleArray();
        }
        float[] floats = tensor.toFloatArray();
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }
}
