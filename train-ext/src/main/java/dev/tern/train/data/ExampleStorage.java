package dev.tern.train.data;

import java.util.List;

/**
 * The examples of a data set, held once: features row-major in one float array, labels in one
 * long or float array. Every {@link Dataset} view (shuffled, split) reads the same storage
 * through its own index order.
 */
final class ExampleStorage {
    final float[] features;
    final long[] featureShape;
    final int featureSize;
    final LabelKind labelKind;
    final long[] classes;
    final List<String> classNames;
    final float[] targets;
    final long[] targetShape;
    final int targetSize;
    final int count;

    private ExampleStorage(float[] features, long[] featureShape, LabelKind labelKind, long[] classes,
                           List<String> classNames, float[] targets, long[] targetShape, int count) {
        this.features = features;
        this.featureShape = featureShape;
        this.featureSize = Shapes.size(featureShape);
        this.labelKind = labelKind;
        this.classes = classes;
        this.classNames = classNames;
        this.targets = targets;
        this.targetShape = targetShape;
        this.targetSize = targetShape == null ? 0 : Shapes.size(targetShape);
        this.count = count;
    }

    static ExampleStorage ofClasses(float[] features, long[] featureShape, long[] classes, List<String> classNames) {
        long[] shape = Shapes.checkedExampleShape("feature", featureShape);
        int count = exampleCount(features, shape);
        if (classes.length != count) {
            throw new DatasetException(count + " examples need " + count + " labels, found " + classes.length);
        }
        if (classNames.isEmpty()) {
            throw new DatasetException("a classification data set needs at least one class");
        }
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= classNames.size()) {
                throw new DatasetException("example " + i + ": class index " + classes[i]
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        return new ExampleStorage(features, shape, LabelKind.CLASS_INDEX, classes, List.copyOf(classNames),
                null, null, count);
    }

    static ExampleStorage ofTargets(float[] features, long[] featureShape, float[] targets, long[] targetShape) {
        long[] shape = Shapes.checkedExampleShape("feature", featureShape);
        long[] labelShape = Shapes.checkedExampleShape("target", targetShape);
        int count = exampleCount(features, shape);
        long expected = (long) count * Shapes.size(labelShape);
        if (targets.length != expected) {
            throw new DatasetException(count + " examples with target shape " + Shapes.format(labelShape)
                    + " need " + expected + " target values, found " + targets.length);
        }
        return new ExampleStorage(features, shape, LabelKind.TARGET, null, List.of(), targets, labelShape, count);
    }

    private static int exampleCount(float[] features, long[] shape) {
        int size = Shapes.size(shape);
        if (size == 0 || features.length % size != 0) {
            throw new DatasetException(features.length + " feature values do not divide into examples of shape "
                    + Shapes.format(shape));
        }
        return features.length / size;
    }
}
