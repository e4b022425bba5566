package dev.tern.compress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.FineTune;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The target on digits: three 64-32-10 MLPs that differ only in their seed (initial
 * weights and batch order), trained 3 epochs each, and their ensembles, scored on the same 20%
 * stratified validation split.
 */
class DigitsEnsembleTest {
    private static final long[] SEEDS = {1, 2, 3};
    private static final int EPOCHS = 3;
    private static final float SCALE = 16f;

    @Test
    void anEnsembleOfThreeSeedsIsAtLeastAsAccurateAsItsBestMember() throws IOException {
        Split digits = CsvDatasetReader.of(DigitsData.file(), "label").read().splitStratified(0.2, 1);
        Tensor validation = features(digits.validation());
        try (Runtime runtime = Runtime.create()) {
            List<Model> members = new ArrayList<>();
            double bestMember = 0;
            for (long seed : SEEDS) {
                Model member = train(runtime, digits, seed);
                members.add(member);
                bestMember = Math.max(bestMember,
                        DigitsData.accuracy(predictedClasses(runtime, member, ModelTemplates.LOGITS, validation), digits.validation()));
            }
            Map<String, Tensor> vote = run(runtime, Ensemble.merge(members, CombineMode.VOTE), validation);
            double mean = DigitsData.accuracy(DigitsData.predictedClasses(vote.get(Ensemble.PROBABILITIES)), digits.validation());
            double voted = DigitsData.accuracy(vote.get(Ensemble.LABEL).toLongArray(), digits.validation());

            String measured = "best member " + bestMember + ", mean " + mean + ", vote " + voted;
            System.out.println("digits ensemble accuracy: " + measured);
            assertTrue(mean >= bestMember, measured);
            assertTrue(voted >= bestMember, measured);
        }
    }

    private static Model train(Runtime runtime, Split digits, long seed) {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, seed);
        BatchLoader train = BatchLoader.builder(digits.train(), 32).shuffle(seed)
                .normalization(Normalization.divideBy(SCALE)).build();
        return FineTune.builder(mlp, train.feeding(ModelTemplates.INPUT))
                .loss(Loss.crossEntropy(), ModelTemplates.LOGITS)
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.cosine(1e-2, steps, 0))
                .epochs(EPOCHS)
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build()
                .run(runtime)
                .model();
    }

    private static Tensor features(Dataset dataset) {
        int width = dataset.featureSize();
        float[] values = new float[dataset.size() * width];
        for (int row = 0; row < dataset.size(); row++) {
            dataset.copyFeatures(row, values, row * width);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= SCALE;
        }
        return Tensor.ofFloats(ModelTemplates.INPUT, new long[] {dataset.size(), width}, values);
    }

    private static long[] predictedClasses(Runtime runtime, Model model, String output, Tensor features) {
        return DigitsData.predictedClasses(run(runtime, model, features).get(output));
    }

    private static Map<String, Tensor> run(Runtime runtime, Model model, Tensor features) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, features));
        }
    }
}
