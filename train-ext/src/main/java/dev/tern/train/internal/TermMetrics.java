package dev.tern.train.internal;

import dev.tern.ir.Tensor;
import dev.tern.train.LossTerm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each loss term's output against its target over batches: accuracy where the
 * target holds class indices for scores {@code [n, classes]}, squared and absolute errors
 * where it holds floats of the output's shape. A measure applies to a term only if it applies
 * to every batch; a term whose target no batch holds (another output) gets none.
 */
public final class TermMetrics {
    private final Map<String, TermCounts> byTerm = new LinkedHashMap<>();

    public TermMetrics(List<LossTerm> terms) {
        for (LossTerm term : terms) {
            byTerm.put(term.name(), new TermCounts(term));
        }
    }

    /** Adds one batch: the outputs the evaluation copied, and the tensors the batch fed, by name. */
    public void add(Map<String, Tensor> outputs, Map<String, Tensor> feed) {
        for (TermCounts counts : byTerm.values()) {
            counts.add(outputs.get(counts.term.output()), feed.get(counts.term.target()));
        }
    }

    /** The fraction of examples whose highest score is at the target class; NaN where that does not apply. */
    public double accuracy(String term) {
        TermCounts counts = byTerm.get(term);
        return counts.classification ? (double) counts.correct / counts.rows : Double.NaN;
    }

    /** The mean squared error over every target element; NaN where that does not apply. */
    public double meanSquaredError(String term) {
        TermCounts counts = byTerm.get(term);
        return counts.measuresErrors() ? counts.errors.meanSquared() : Double.NaN;
    }

    /** The root mean squared error over every target element; NaN where that does not apply. */
    public double rootMeanSquaredError(String term) {
        return Math.sqrt(meanSquaredError(term));
    }

    /** The mean absolute error over every target element; NaN where that does not apply. */
    public double meanAbsoluteError(String term) {
        TermCounts counts = byTerm.get(term);
        return counts.measuresErrors() ? counts.errors.meanAbsolute() : Double.NaN;
    }

    /** {@code PREFIX.TERM.accuracy}, {@code .mse} and {@code .mae} for every term they apply to. */
    public Map<String, Double> named(String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String term : byTerm.keySet()) {
            String base = prefix + "." + term;
            if (byTerm.get(term).classification) {
                metrics.put(base + ".accuracy", accuracy(term));
            }
            if (byTerm.get(term).measuresErrors()) {
                metrics.put(base + ".mse", meanSquaredError(term));
                metrics.put(base + ".mae", meanAbsoluteError(term));
            }
        }
        return metrics;
    }

    /** What one term's batches added up to so far. */
    private static final class TermCounts {
        private final LossTerm term;
        private final RegressionErrors errors = new RegressionErrors();
        private boolean classification = true;
        private boolean regression = true;
        private long correct;
        private long rows;

        private TermCounts(LossTerm term) {
            this.term = term;
        }

        /** One-hot label rows fit both readings; they are classes, and their errors against scores would mean nothing. */
        private boolean measuresErrors() {
            return regression && !classification;
        }

        private void add(Tensor output, Tensor target) {
            if (target == null) {
                classification = false;
                regression = false;
                return;
            }
            classification &= ClassificationCounts.applies(output, target);
            if (classification) {
                correct += ClassificationCounts.correct(output, target);
                rows += target.dims()[0];
            }
            regression &= RegressionErrors.applies(output, target);
            if (regression) {
                errors.add(output, target);
            }
        }
    }
}
