package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Convolutions and pooling over [N, C, spatial...] tensors: kernel, strides, dilations, pads,
 * {@code auto_pad} and {@code ceil_mode} arithmetic as the ONNX operator docs give it.
 */
final class ConvPoolRules {
    private ConvPoolRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(ConvPoolRules::conv, "Conv", "ConvInteger");
        registry.add(ConvPoolRules::convTranspose, "ConvTranspose");
        registry.add(ConvPoolRules::pool, "MaxPool", "AveragePool", "LpPool");
        registry.add(ConvPoolRules::globalPool, "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
    }

    /** The per-axis settings shared by convolution and pooling. */
    private record Window(long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad) {
        static Window of(NodeContext node, long[] kernel) {
            int axes = kernel.length;
            long[] strides = orDefault(node.intsAttr("strides"), axes, 1);
            long[] dilations = orDefault(node.intsAttr("dilations"), axes, 1);
            long[] pads = orDefault(node.intsAttr("pads"), 2 * axes, 0);
            if (strides.length != axes || dilations.length != axes || pads.length != 2 * axes) {
                throw node.conflict("kernel has " + axes + " axes, but strides, dilations or pads do not match");
            }
            return new Window(kernel, strides, dilations, pads, node.stringAttr("auto_pad", "NOTSET"));
        }

        long effectiveKernel(int axis) {
            return (kernel[axis] - 1) * dilations[axis] + 1;
        }
    }

    private static long[] orDefault(long[] values, int length, long fallback) {
        if (values != null && values.length > 0) {
            return values;
        }
        long[] filled = new long[length];
        java.util.Arrays.fill(filled, fallback);
        return filled;
    }

    /** Conv: X [N, C, d...] and W [M, C/group, k...] give [N, M, o...]. */
    private static void conv(NodeContext node) {
        Shape x = node.shape(0);
        Shape w = node.shape(1);
        ElementType type = node.node().opType().equals("ConvInteger") ? ElementType.INT32 : node.elementType(0);
        if (!x.isRankKnown()) {
            return;
        }
        int spatial = x.rank() - 2;
        if (spatial < 1) {
            throw node.conflict("input has rank " + x.rank() + ", needs at least 3");
        }
        long[] kernel = kernelShape(node, w, spatial);
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dim(0));
        dims.add(w.isRankKnown() ? w.dim(0) : Dim.UNKNOWN);
        if (kernel == null) {
            for (int axis = 0; axis < spatial; axis++) {
                dims.add(Dim.UNKNOWN);
            }
        } else {
            Window window = Window.of(node, kernel);
            for (int axis = 0; axis < spatial; axis++) {
                dims.add(outputSize(node, x.dim(axis + 2), window, axis, false));
            }
        }
        node.setOutput(0, type, dims);
    }

    /** The kernel_shape attribute, else the weight's spatial dims when known, else {@code null}. */
    private static long[] kernelShape(NodeContext node, Shape w, int spatial) {
        long[] kernel = node.intsAttr("kernel_shape");
        if (kernel != null) {
            return kernel;
        }
        if (!w.isRankKnown() || w.rank() != spatial + 2) {
            return null;
        }
        long[] sizes = new long[spatial];
        for (int axis = 0; axis < spatial; axis++) {
            sizes[axis] = Dims.size(w.dim(axis + 2));
            if (sizes[axis] < 0) {
                return null;
            }
        }
        return sizes;
    }

    /** MaxPool, AveragePool, LpPool: [N, C, o...]; MaxPool's optional Indices output is int64 of the same shape. */
    private static void pool(NodeContext node) {
        Shape x = node.shape(0);
        long[] kernel = node.intsAttr("kernel_shape");
        if (!x.isRankKnown() || kernel == null) {
            return;
        }
        if (x.rank() != kernel.length + 2) {
            throw node.conflict("input has rank " + x.rank() + " for a kernel of " + kernel.length + " axes");
        }
        Window window = Window.of(node, kernel);
        boolean ceil = node.intAttr("ceil_mode", 0) != 0;
        List<Dim> dims = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
        for (int axis = 0; axis < kernel.length; axis++) {
            dims.add(outputSize(node, x.dim(axis + 2), window, axis, ceil));
        }
        node.setOutput(0, node.elementType(0), dims);
        node.setOutput(1, ElementType.INT64, Shape.of(dims));
    }

    /**
     * One spatial output size. SAME pads so the output is ceil(in / stride); VALID pads nothing;
     * NOTSET uses the pads. With ceil_mode a last window that would start inside the end padding
     * is dropped, as in ONNX Runtime and PyTorch.
     */
    private static Dim outputSize(NodeContext node, Dim in, Window window, int axis, boolean ceil) {
        if (!in.isKnown()) {
            return Dim.UNKNOWN;
        }
        long size = Dims.size(in);
        long stride = window.strides()[axis];
        long kernel = window.effectiveKernel(axis);
        switch (window.autoPad()) {
            case "SAME_UPPER", "SAME_LOWER":
                return Dim.of(ceilDiv(size, stride));
            case "VALID":
                return Dim.of(positive(node, ceilDiv(size - kernel + 1, stride)));
            case "NOTSET":
                break;
            default:
                throw node.conflict("unknown auto_pad " + window.autoPad());
        }
        long padBegin = window.pads()[axis];
        long padded = size + padBegin + window.pads()[axis + window.kernel().length];
        long span = padded - kernel;
        if (span < 0) {
            throw node.conflict("kernel of " + kernel + " is larger than the padded input of " + padded + " on axis " + axis);
        }
        if (!ceil) {
            return Dim.of(span / stride + 1);
        }
        long out = ceilDiv(span, stride) + 1;
        if ((out - 1) * stride >= size + padBegin) {
            out--;
        }
        return Dim.of(out);
    }

    private static long positive(NodeContext node, long size) {
        if (size < 1) {
            throw node.conflict("the kernel is larger than the input");
        }
        return size;
    }

    private static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** ConvTranspose: X [N, C, d...] and W [C, M/group, k...] give [N, M, o...]. */
    private static void convTranspose(NodeContext node) {
        Shape x = node.shape(0);
        Shape w = node.shape(1);
        if (!x.isRankKnown()) {
            return;
        }
        int spatial = x.rank() - 2;
        long group = node.intAttr("group", 1);
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dim(0));
        dims.add(w.isRankKnown() ? Dims.multiply(w.dim(1), Dim.of(group)) : Dim.UNKNOWN);
        long[] outputShape = node.intsAttr("output_shape");
        long[] kernel = kernelShape(node, w, spatial);
        for (int axis = 0; axis < spatial; axis++) {
            if (outputShape != null) {
                // output_shape may hold only the spatial sizes or the whole shape.
                dims.add(Dim.of(outputShape[outputShape.length - spatial + axis]));
            } else if (kernel == null || !x.dim(axis + 2).isKnown()) {
                dims.add(Dim.UNKNOWN);
            } else {
                dims.add(Dim.of(transposedSize(node, Dims.size(x.dim(axis + 2)), Window.of(node, kernel), axis)));
            }
        }
        node.setOutput(0, node.elementType(0), dims);
    }

    private static long transposedSize(NodeContext node, long in, Window window, int axis) {
        long stride = window.strides()[axis];
        if (window.autoPad().startsWith("SAME")) {
            return in * stride;
        }
        long[] outputPadding = orDefault(node.intsAttr("output_padding"), window.kernel().length, 0);
        long pads = window.autoPad().equals("VALID") ? 0
                : window.pads()[axis] + window.pads()[axis + window.kernel().length];
        return stride * (in - 1) + outputPadding[axis] + window.effectiveKernel(axis) - pads;
    }

    /** [N, C, 1, ...]: every spatial dimension pooled to 1. */
    private static void globalPool(NodeContext node) {
        Shape x = node.shape(0);
        if (!x.isRankKnown()) {
            return;
        }
        List<Dim> dims = new ArrayList<>(x.dims());
        for (int axis = 2; axis < dims.size(); axis++) {
            dims.set(axis, Dims.one());
        }
        node.setOutput(0, node.elementType(0), dims);
    }
}
