package dev.tern.train.lora;

import dev.tern.ir.Node;
import dev.tern.ir.Value;

/**
 * One weight that gets an adapter: {@code node} (MatMul, or Gemm without transA) multiplies
 * its input {@code x} by the initializer {@code weight}, and the adapter adds
 * {@code (x A) B} to the node's output, with {@code A[inFeatures, rank]} and
 * {@code B[rank, outFeatures]} named {@link #aName()} and {@link #bName()}.
 *
 * @param name the adapter's deterministic name: the node's name with slashes read as dots
 *     ({@code encoder.layer.0.attention.self.query.MatMul}), or the weight's name for an
 *     unnamed node
 * @param transposed whether the node reads the weight transposed (Gemm's {@code transB}), so
 *     that it is stored as {@code [outFeatures, inFeatures]}
 * @param gemmAlpha the factor Gemm multiplies the product by; 1 for MatMul
 */
public record LoraTarget(Node node, Value weight, String name, long inFeatures, long outFeatures,
                         boolean transposed, float gemmAlpha) {
    /** The suffix of the down-projection's name. */
    public static final String A_SUFFIX = ".lora_A";
    /** The suffix of the up-projection's name. */
    public static final String B_SUFFIX = ".lora_B";

    /** The name of {@code A[inFeatures, rank]}. */
    public String aName() {
        return name + A_SUFFIX;
    }

    /** The name of {@code B[rank, outFeatures]}. */
    public String bName() {
        return name + B_SUFFIX;
    }

    /** The symbolic name of this adapter's rank in the shapes of {@code A} and {@code B}. */
    public String rankDimension() {
        return name + ".lora_rank";
    }

    /** The node's first input, which the weight multiplies. */
    public Value x() {
        return node.input(0);
    }
}
