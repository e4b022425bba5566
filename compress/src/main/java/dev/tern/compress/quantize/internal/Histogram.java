package dev.tern.compress.quantize.internal;

/**
 * Counts of a tensor's values in equal bins over {@code [-limit, limit]}, centred on 0 as ONNX
 * Runtime's histogram calibrators bin them, so the entropy search can widen a threshold
 * symmetrically bin by bin. Values beyond the limit fall into the end bins.
 */
public final class Histogram {
    private final double limit;
    private final long[] counts;

    /**
     * @param limit the largest magnitude binned, above 0
     * @param bins an even number of bins
     * @throws IllegalArgumentException if {@code limit} is not above 0 or {@code bins} is not even and positive
     */
    public Histogram(double limit, int bins) {
        if (!(limit > 0) || bins < 2 || bins % 2 != 0) {
            throw new IllegalArgumentException("expected a limit above 0 and an even bin count, found limit " + limit
                    + " and " + bins + " bins");
        }
        this.limit = limit;
        this.counts = new long[bins];
    }

    public void add(float[] values) {
        double perBin = counts.length / (2 * limit);
        for (float value : values) {
            int bin = (int) Math.floor((value + limit) * perBin);
            counts[Math.max(0, Math.min(counts.length - 1, bin))]++;
        }
    }

    public int bins() {
        return counts.length;
    }

    public long count(int bin) {
        return counts[bin];
    }

    /** The lower edge of {@code bin}; {@code edge(bins())} is the limit. */
    public double edge(int bin) {
        return -limit + 2 * limit * bin / counts.length;
    }

    public long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
