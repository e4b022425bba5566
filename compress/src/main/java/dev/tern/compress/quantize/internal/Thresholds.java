package dev.tern.compress.quantize.internal;

/**
 * Ranges chosen from a {@link Histogram}: by percentile (ONNX Runtime's {@code compute_percentile})
 * and by least Kullback-Leibler divergence ({@code get_entropy_threshold}, after TensorRT's
 * calibration).
 */
public final class Thresholds {
    /** Bins of the quantized distribution the entropy search compares against: 2^8 levels over two halves. */
    static final int QUANTIZED_BINS = 128;
    /** ONNX Runtime's smoothing epsilon, which keeps the divergence finite where a bin is empty. */
    private static final double SMOOTHING = 1e-4;

    private Thresholds() {
    }

    /**
     * The range holding {@code percent} percent of the values: of their magnitudes when
     * {@code symmetric} (giving {@code [-t, t]}), otherwise cutting half the rest from each tail.
     */
    public static float[] percentile(Histogram histogram, double percent, boolean symmetric) {
        int bins = histogram.bins();
        double total = histogram.total();
        if (symmetric) {
            int half = bins / 2;
            double seen = 0;
            for (int k = 0; k < half; k++) {
                seen += histogram.count(half + k) + histogram.count(half - 1 - k);
                if (seen / total >= percent / 100) {
                    float t = (float) histogram.edge(half + k + 1);
                    return new float[] {-t, t};
                }
            }
            float t = (float) histogram.edge(bins);
            return new float[] {-t, t};
        }
        double cut = (100 - percent) / 200;
        return new float[] {(float) histogram.edge(firstBinReaching(histogram, cut, total)),
            (float) histogram.edge(firstBinReaching(histogram, 1 - cut, total) + 1)};
    }

    private static int firstBinReaching(Histogram histogram, double fraction, double total) {
        double seen = 0;
        for (int bin = 0; bin < histogram.bins(); bin++) {
            seen += histogram.count(bin);
            if (seen / total >= fraction) {
                return bin;
            }
        }
        return histogram.bins() - 1;
    }

    /**
     * The symmetric range {@code [-t, t]} whose clipped and 128-level quantized distribution is
     * closest to the binned one. Candidates widen one bin each side at a time from 128 bins
     * around zero; outliers beyond a candidate are added to its end bins, as ONNX Runtime does.
     */
    public static float[] entropy(Histogram histogram) {
        int bins = histogram.bins();
        int zero = bins / 2;
        double best = Double.POSITIVE_INFINITY;
        int bestHalfWidth = zero;
        for (int halfWidth = QUANTIZED_BINS / 2; halfWidth <= zero; halfWidth++) {
            double divergence = divergence(histogram, zero - halfWidth, zero + halfWidth);
            if (divergence < best) {
                best = divergence;
                bestHalfWidth = halfWidth;
            }
        }
        float t = (float) histogram.edge(zero + bestHalfWidth);
        return new float[] {-t, t};
    }

    /** KL(p || q) for the bins {@code [start, end)}: p with the outliers folded in, q quantized to 128 levels. */
    private static double divergence(Histogram histogram, int start, int end) {
        int width = end - start;
        double[] p = new double[width];
        for (int i = 0; i < width; i++) {
            p[i] = histogram.count(start + i);
        }
        double[] q = quantized(p);
        for (int bin = 0; bin < start; bin++) {
            p[0] += histogram.count(bin);
        }
        for (int bin = end; bin < histogram.bins(); bin++) {
            p[width - 1] += histogram.count(bin);
        }
        double[] smoothP = smoothed(p);
        double[] smoothQ = smoothed(q);
        if (smoothP == null || smoothQ == null) {
            return Double.POSITIVE_INFINITY;
        }
        return klDivergence(smoothP, smoothQ);
    }

    /**
     * {@code sliced} merged into {@value #QUANTIZED_BINS} levels (the last taking the remainder)
     * and spread back evenly over the bins of each level that were not empty.
     */
    private static double[] quantized(double[] sliced) {
        int merged = sliced.length / QUANTIZED_BINS;
        double[] expanded = new double[sliced.length];
        for (int level = 0; level < QUANTIZED_BINS; level++) {
            int from = level * merged;
            int to = level == QUANTIZED_BINS - 1 ? sliced.length : from + merged;
            double sum = 0;
            int nonEmpty = 0;
            for (int i = from; i < to; i++) {
                sum += sliced[i];
                nonEmpty += sliced[i] != 0 ? 1 : 0;
            }
            for (int i = from; i < to; i++) {
                expanded[i] = nonEmpty == 0 || sliced[i] == 0 ? 0 : sum / nonEmpty;
            }
        }
        return expanded;
    }

    /** Moves a little mass onto empty bins; null when every bin is empty. */
    private static double[] smoothed(double[] counts) {
        int zeros = 0;
        for (double count : counts) {
            zeros += count == 0 ? 1 : 0;
        }
        int nonZeros = counts.length - zeros;
        if (nonZeros == 0) {
            return null;
        }
        double taken = SMOOTHING * zeros / nonZeros;
        double[] result = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = counts[i] == 0 ? SMOOTHING : counts[i] - taken;
        }
        return result;
    }

    /** KL divergence of the two distributions, each normalized to sum 1 first (as scipy's {@code entropy}). */
    private static double klDivergence(double[] p, double[] q) {
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < p.length; i++) {
            sumP += p[i];
            sumQ += q[i];
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sumP;
            divergence += pi * Math.log(pi / (q[i] / sumQ));
        }
        return divergence;
    }
}
