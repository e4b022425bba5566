package dev.tern.compress.quantize;

/**
 * One quantizable layer in {@link AccuracyGuard}'s report.
 *
 * @param node the node, described as "'name' (Op)"
 * @param error the relative L2 error of its output when it alone is quantized, on the validation data
 * @param quantized whether the written model quantizes it (false: kept in float to stay within the budget)
 */
public record LayerSensitivity(String node, double error, boolean quantized) {
}
