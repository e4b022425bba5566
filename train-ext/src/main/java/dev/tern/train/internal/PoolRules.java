package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


/** MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool, of any spatial rank. */
final class PoolRules {
    private PoolRules() {
    }

    static void register(GradientRules rules) {
        rules.put("MaxPool", GradientRule.of(PoolRules::maxPool).onlyFirstOutput());
        rules.put("AveragePool", GradientRule.of(PoolRules::averagePool));
        rules.put("GlobalAveragePool", GradientRule.of(PoolRules::globalAveragePool));
        rules.put("GlobalMaxPool", GradientRule.of(PoolRules::globalMaxPool));
    }

    /**
     * Each output gradient goes to the input element that was the window's maximum: without
     * indices when the windows tile the input ({@link TiledMaxPoolGradient}); otherwise the
     * backward graph runs the pool again for its Indices (flat positions in the input) and
     * scatters the gradient there: with MaxUnpool when windows do not overlap, else with
     * ScatterElements reduction "add" (opset 16 and later), which sums where windows share
     * their maximum.
     */
    private static void maxPool(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value g = c.gradient();
        ConvGeometry geometry = ConvGeometry.of(c, c.intsAttribute("kernel_shape").orElseThrow(), x);
        if (c.allowsSpecializedForms() && TiledMaxPoolGradient.fits(x, geometry, c.opset())) {
            c.give(0, TiledMaxPoolGradient.emit(ops, x, c.output(0), g, geometry));
            return;
        }
        if (c.intAttribute("storage_order", 0) != 0) {
            throw c.unsupported("MaxPool with storage_order 1 (column-major indices)");
        }
        List<Attribute> poolAttributes = new ArrayList<>(c.node().attributes().values());
        Value indices = ops.emitter().ops("MaxPool", 2, poolAttributes, x).get(1);
        if (windowsAreDisjoint(geometry)) {
            List<Attribute> unpool = List.of(
                    Attribute.ofInts("kernel_shape", geometry.kernel()),
                    Attribute.ofInts("strides", geometry.strides()),
                    Attribute.ofInts("pads", geometry.pads()));
            c.give(0, ops.op("MaxUnpool", unpool, g, indices, ops.shape(x)));
            return;
        }
        if (c.opset() < 16) {
            throw c.unsupported("MaxPool with overlapping windows needs ScatterElements with reduction,"
                    + " from opset 16; the model imports ai.onnx " + c.opset());
        }
        Value flatShape = ops.int64s(-1);
        Value zeros = ops.op("Reshape", ops.zerosLike(x), flatShape);
        List<Attribute> scatter = List.of(Attribute.ofInt("axis", 0), Attribute.ofString("reduction", "add"));
        Value summed = ops.op("ScatterElements", scatter, zeros,
                ops.op("Reshape", indices, flatShape), ops.op("Reshape", g, flatShape));
        c.give(0, ops.reshapeLike(summed, x));
    }

    /**
     * Each input element gets the sum of g / count over the windows that cover it: a
     * ConvTranspose with a kernel of ones, run on every (batch, channel) plane at once by
     * folding channels into the batch. The count is the kernel size, or, when pads are left
     * out of the average, a per-window count from convolving ones with that kernel.
     */
    private static void averagePool(RuleContext c) {
        if (c.intAttribute("ceil_mode", 0) != 0) {
            throw c.unsupported("AveragePool with ceil_mode 1");
        }
        Ops ops = c.ops();
        Value x = c.input(0);
        Value g = c.gradient();
        ConvGeometry geometry = ConvGeometry.of(c, c.intsAttribute("kernel_shape").orElseThrow(), x);
        int spatial = geometry.spatialRank();
        long[] kernelDims = new long[spatial + 2];
        kernelDims[0] = 1;
        kernelDims[1] = 1;
        System.arraycopy(geometry.kernel(), 0, kernelDims, 2, spatial);
        Value ones = ops.emitter().filled(1, ValueTypes.elementType(x), kernelDims);
        Value perWindow = ops.div(g, windowCounts(c, ops, geometry, x, ones));
        Value planes = ops.op("Reshape", perWindow, ops.op("Concat", List.of(Attribute.ofInt("axis", 0)),
                ops.int64s(-1, 1), spatialShape(ops, g)));
        List<Attribute> transpose = List.of(
                Attribute.ofInts("kernel_shape", geometry.kernel()),
                Attribute.ofInts("strides", geometry.strides()),
                Attribute.ofInts("dilations", geometry.dilations()),
                Attribute.ofInts("pads", geometry.pads()),
                Attribute.ofInts("output_padding", geometry.outputPaddingToRestore(c, x)));
        c.give(0, ops.reshapeLike(ops.op("ConvTranspose", transpose, planes, ones), x));
    }

    private static Value windowCounts(RuleContext c, Ops ops, ConvGeometry geometry, Value x, Value ones) {
        boolean padded = Arrays.stream(geometry.pads()).anyMatch(p -> p != 0);
        if (!padded || c.intAttribute("count_include_pad", 0) != 0) {
            long size = Arrays.stream(geometry.kernel()).reduce(1, Math::multiplyExact);
            return ops.scalarLike(size, x);
        }
        Value unitPlaneShape = ops.op("Concat", List.of(Attribute.ofInt("axis", 0)), ops.int64s(1, 1), spatialShape(ops, x));
        Value unitPlane = ops.op("Expand", ops.scalarLike(1, x), unitPlaneShape);
        List<Attribute> window = List.of(
                Attribute.ofInts("kernel_shape", geometry.kernel()),
                Attribute.ofInts("strides", geometry.strides()),
                Attribute.ofInts("dilations", geometry.dilations()),
                Attribute.ofInts("pads", geometry.pads()));
        return ops.op("Conv", window, unitPlane, ones);
    }

    private static void globalAveragePool(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        c.give(0, ops.expandLike(ops.scaleBySizeRatio(c.gradient(), c.output(0), x), x));
    }

    /** The gradient goes to the elements equal to their plane's maximum, shared evenly where several tie. */
    private static void globalMaxPool(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        long[] spatialAxes = new long[ValueTypes.rank(x) - 2];
        for (int i = 0; i < spatialAxes.length; i++) {
            spatialAxes[i] = i + 2;
        }
        Value atMaximum = ops.cast(ops.op("Equal", x, c.output(0)), ValueTypes.elementType(x));
        Value ties = ops.reduceSum(atMaximum, spatialAxes, true);
        c.give(0, ops.mul(ops.div(c.gradient(), ties), atMaximum));
    }

    /** Whether no input element lies in two windows, so scattering never has to sum. */
    private static boolean windowsAreDisjoint(ConvGeometry geometry) {
        for (int axis = 0; axis < geometry.spatialRank(); axis++) {
            long extent = (geometry.kernel()[axis] - 1) * geometry.dilations()[axis] + 1;
            if (geometry.strides()[axis] < extent) {
                return false;
            }
        }
        return true;
    }

    /** The run-time sizes of {@code x}'s spatial axes (all after the first two). */
    private static Value spatialShape(Ops ops, Value x) {
        return ops.slice(ops.shape(x), new long[] {2}, new long[] {Long.MAX_VALUE}, new long[] {0});
    }
}
