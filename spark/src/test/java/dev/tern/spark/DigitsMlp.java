package dev.tern.spark;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
import dev.tern.train.models.ModelTemplates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The 64-128-10 MLP template on the digits, and the session setup the distributed tests train it with. */
final class DigitsMlp {
    private DigitsMlp() {
    }

    static Model model() {
        return ModelTemplates.mlp(DigitRow.FEATURES, new int[] {128}, DigitRow.CLASSES, 3);
    }

    static byte[] bytes() {
        return OnnxExporter.toBytes(model());
    }

    /** {@link #setup} at a constant rate. */
    static SessionSetup constantRate(double rate) {
        return model -> session(model, LearningRateSchedule.constant(rate));
    }

    /** {@link #setup} warming up for 20 steps, then a cosine from 1e-2 to 1e-4 over {@code steps}. */
    static SessionSetup warmupCosine(long steps) {
        return model -> session(model, LearningRateSchedule.warmup(20, LearningRateSchedule.cosine(1e-2, steps, 1e-4)));
    }

    /**
     * AdamW on cross-entropy over every weight, one ONNX Runtime thread per task. A setup is
     * serialized to the executors and a schedule is not serializable, so each setup builds its
     * schedule from numbers.
     */
    static TrainingSession.Builder session(Model model, LearningRateSchedule schedule) {
        return TrainingSession.builder(model, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(WeightSelection.all(model))
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(schedule)
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build());
    }

    /**
     * The weights after {@code steps} steps of one process's fused-step session on all of
     * {@code rows} at a constant {@code rate}, and the last step's loss.
     */
    static Trained trainAlone(List<DigitRow> rows, int steps, double rate) {
        try (Runtime runtime = Runtime.create();
             TrainingSession single = session(model(), LearningRateSchedule.constant(rate)).build(runtime)) {
            double loss = Double.NaN;
            for (int step = 0; step < steps; step++) {
                loss = single.step(DigitRow.batch(rows)).loss();
            }
            return new Trained(single.weights(), loss);
        }
    }

    /** Weights by name and the last step's loss. */
    record Trained(Map<String, Tensor> weights, double loss) {
    }

    /** The largest absolute difference between elements of equally named float tensors. */
    static double maxDifference(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            throw new AssertionError("weights " + actual.keySet() + ", expected " + expected.keySet());
        }
        double largest = 0;
        for (String name : expected.keySet()) {
            float[] a = expected.get(name).toFloatArray();
            float[] b = actual.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                largest = Math.max(largest, Math.abs(a[i] - b[i]));
            }
        }
        return largest;
    }

    /** The trainable weights (every float initializer) of {@code model} by name. */
    static Map<String, Tensor> weights(Model model) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : WeightSelection.all(model)) {
            weights.put(name, model.graph().initializers().get(name).initializer());
        }
        return weights;
    }

    /** The fraction of {@code rows} whose largest logit is their label. */
    static double accuracy(Model trained, List<DigitRow> rows) {
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(trained)) {
            Map<String, Tensor> batch = DigitRow.batch(rows);
            float[] logits = compiled.run(Map.of("input", batch.get("input"))).get(ModelTemplates.LOGITS).toFloatArray();
            int correct = 0;
            for (int row = 0; row < rows.size(); row++) {
                int best = 0;
                for (int c = 1; c < DigitRow.CLASSES; c++) {
                    if (logits[row * DigitRow.CLASSES + c] > logits[row * DigitRow.CLASSES + best]) {
                        best = c;
                    }
                }
                correct += best == rows.get(row).label() ? 1 : 0;
            }
            return (double) correct / rows.size();
        }
    }
}
