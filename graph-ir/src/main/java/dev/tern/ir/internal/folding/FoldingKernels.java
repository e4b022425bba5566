package dev.tern.ir.internal.folding;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The operators constant folding evaluates, by op type of the default domain. */
public final class FoldingKernels {
    private static final Map<String, FoldingKernel> KERNELS = Map.ofEntries(
            Map.entry("Constant", ConversionKernels::constant),
            Map.entry("Cast", ConversionKernels::cast),
            Map.entry("Identity", LayoutKernels::identity),
            Map.entry("Reshape", LayoutKernels::reshape),
            Map.entry("Flatten", LayoutKernels::flatten),
            Map.entry("Squeeze", LayoutKernels::squeeze),
            Map.entry("Unsqueeze", LayoutKernels::unsqueeze),
            Map.entry("Transpose", LayoutKernels::transpose),
            Map.entry("Concat", LayoutKernels::concat),
            Map.entry("Shape", LayoutKernels::shape),
            Map.entry("Add", ElementwiseKernels.binary(Double::sum, Long::sum)),
            Map.entry("Sub", ElementwiseKernels.binary((a, b) -> a - b, (a, b) -> a - b)),
            Map.entry("Mul", ElementwiseKernels.binary((a, b) -> a * b, (a, b) -> a * b)),
            Map.entry("Div", ElementwiseKernels.binary((a, b) -> a / b, (a, b) -> a / b)),
            Map.entry("Neg", ElementwiseKernels.unary(a -> -a, a -> -a)),
            Map.entry("Sqrt", ElementwiseKernels.unary(Math::sqrt, null)),
            Map.entry("Reciprocal", ElementwiseKernels.unary(a -> 1 / a, null)));

    private FoldingKernels() {
    }

    /** The kernel for a default-domain {@code opType}, if folding knows it. */
    public static Optional<FoldingKernel> forOp(String opType) {
        return Optional.ofNullable(KERNELS.get(opType));
    }

    /** Every op type folding evaluates. */
    public static Set<String> opTypes() {
        return KERNELS.keySet();
    }
}
