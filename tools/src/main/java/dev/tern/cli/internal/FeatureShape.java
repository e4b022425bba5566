package dev.tern.cli.internal;

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
}
