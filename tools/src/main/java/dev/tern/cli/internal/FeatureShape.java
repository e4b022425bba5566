package dev.tern.cli.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.nio.file.Path;

/** Parses a shape written as sizes joined by {@code x}, as {@code 1x8x8} or {@code 64}. */
final class FeatureShape {
    private FeatureShape() {
    }

    /** The sizes of {@code text}. @throws CliFailure (usage) unless every size is a whole number of at least 1 */
    static long[] parse(String text) {
        String[] parts = text.split("x", -1);
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                dims[i] = 0;
            }
            if (dims[i] < 1) {
                throw CliFailure.usage("--feature-shape " + text + ": expected sizes of at least 1 joined by x, as 1x8x8");
            }
        }
        return dims;
    }

    /**
     * The shape of one example fed to {@code input} of the model in {@code modelFile}:
     * {@code featureShape} (--feature-shape) if given, or else the input's shape after the batch dimension.
     *
     * @throws CliFailure (usage) if the input takes neither float32 features nor int64 token ids, or its shape is not
     *     known and no --feature-shape was given
     */
    static long[] ofInput(Path modelFile, Value input, String featureShape) {
        if (!(input.type() instanceof ValueType.TensorType tensor)
                || (tensor.elementType() != ElementType.FLOAT && tensor.elementType() != ElementType.INT64)) {
            throw CliFailure.usage(modelFile + ": the first input '" + input.name() + "' is " + input.type()
                    + "; tern feeds it float32 features or int64 token ids");
        }
        if (featureShape != null) {
            return parse(featureShape);
        }
        if (!tensor.shape().isRankKnown() || tensor.shape().rank() < 2
                || !tensor.shape().dims().subList(1, tensor.shape().rank()).stream().allMatch(Dim.Known.class::isInstance)) {
            throw CliFailure.usage(modelFile + ": the first input '" + input.name() + "' is " + tensor
                    + "; give the shape of one example with --feature-shape");
        }
        return tensor.shape().dims().subList(1, tensor.shape().rank()).stream()
                .mapToLong(dim -> ((Dim.Known) dim).size()).toArray();
    }
}
