package dev.tern.cli.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.nio.file.Path;
import java.util.List;

/**
 * How one generated example is drawn: {@code channels} (1 for grey, 3 for RGB) planes of
 * {@code height} by {@code width} values, channel-major as ONNX lays out images.
 */
record ImageShape(int channels, int height, int width) {

    /** The values one image holds. */
    int size() {
        return channels * height * width;
    }

    /**
     * {@code --image-shape} as {@code HxW} (grey) or {@code CxHxW} with C 1 or 3.
     *
     * @throws CliFailure (usage) if it is neither
     */
    static ImageShape parse(String text) {
        long[] dims = FeatureShape.parse(text);
        if (dims.length == 2) {
            return new ImageShape(1, Math.toIntExact(dims[0]), Math.toIntExact(dims[1]));
        }
        if (dims.length == 3 && (dims[0] == 1 || dims[0] == 3)) {
            return new ImageShape((int) dims[0], Math.toIntExact(dims[1]), Math.toIntExact(dims[2]));
        }
        throw CliFailure.usage("--image-shape " + text + ": expected HxW, 1xHxW or 3xHxW");
    }

    /**
     * The image shape of the examples in {@code output} of the model in {@code modelFile}:
     * {@code [batch, H, W]}, {@code [batch, C, H, W]} with C 1 or 3, or {@code [batch, N]}
     * with N a square (64 values are an 8x8 digit).
     *
     * @throws CliFailure (usage) if the shape is none of these; --image-shape then says
     */
    static ImageShape of(Path modelFile, Value output) {
        List<Long> dims = List.of();
        if (output.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()
                && tensor.shape().dims().stream().skip(1).allMatch(Dim.Known.class::isInstance)) {
            dims = tensor.shape().dims().stream().skip(1).map(dim -> ((Dim.Known) dim).size()).toList();
        }
        if (dims.size() == 1) {
            long side = Math.round(Math.sqrt(dims.get(0)));
            if (side * side == dims.get(0)) {
                return new ImageShape(1, (int) side, (int) side);
            }
        }
        if (dims.size() == 2) {
            return new ImageShape(1, Math.toIntExact(dims.get(0)), Math.toIntExact(dims.get(1)));
        }
        if (dims.size() == 3 && (dims.get(0) == 1 || dims.get(0) == 3)) {
            return new ImageShape(Math.toIntExact(dims.get(0)), Math.toIntExact(dims.get(1)),
                    Math.toIntExact(dims.get(2)));
        }
        throw CliFailure.usage(modelFile, "output '" + output.name() + "' is " + output.type()
                + ", not [batch, H, W], [batch, 1 or 3, H, W] or [batch, N] with N a square; give --image-shape HxW");
    }
}
