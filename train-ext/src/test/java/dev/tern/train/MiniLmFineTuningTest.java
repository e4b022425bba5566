package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.Feed;
import dev.tern.train.data.TextBatchLoader;
import dev.tern.train.data.TextDataset;
import dev.tern.train.data.TextDatasetReader;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.report.EpochStats;
import dev.tern.train.internal.TrainingGraphs;
import dev.tern.train.models.ClassifierHead;
import dev.tern.train.models.ModelTemplates;
import dev.tern.exec.CompiledModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning the pretrained all-MiniLM-L6-v2 (opset 11, 6 layers, 22.7 M weights) with a
 * sentence-classification head.
 */
class MiniLmFineTuningTest extends RuntimeExtension {
    private static final int CLASSES = 4;
    private static Model classifier;

    @BeforeAll
    static void loadModel() {
        classifier = ClassifierHead.meanPooled(MiniLm.encoder(), MiniLm.HIDDEN_OUTPUT, TextTokenizer.ATTENTION_MASK,
                CLASSES, 11);
    }

    /**
     * Every weight, the head's included, gets a finite gradient that is not all zeros; two
     * elements of every fifth weight and of the head (its steepest and one drawn at random)
     * agree with central finite differences. Tolerance: 1e-4 plus 0.5% of the slope. The
     * steepest elements range from 0.006 to 0.5, so a missing or wrong term shows far above
     * it; float32 differences through the six layers measured at most 2.2e-5 off, and 3.3e-4
     * (0.13%) for the word embedding's steepest element, 0.25.
     */
    @Test
    void everyWeightGetsAGradientAndASampleMatchesFiniteDifferences() {
        List<String> weights = WeightSelection.all(classifier);
        assertEquals(103, weights.size(), "MiniLM's 101 float weights plus the head's 2");
        TrainingGraphs graphs = TrainingGraphs.build(classifier, new TrainingGraphs.Spec(
                Loss.crossEntropy(ModelTemplates.LOGITS, "target"), weights, Optimizer.sgd(), OptionalDouble.empty(), OptionalLong.empty()));
        Model forward = graphs.evaluation();
        GradientModel gradients = Autodiff.differentiate(forward, graphs.lossOutput(), weights);

        Map<String, Tensor> feeds = new HashMap<>();
        try (TextTokenizer tokenizer = MiniLm.tokenizer(16)) {
            feeds.putAll(tokenizer.encode(List.of("The striker scored twice.", "Bake the bread for forty minutes.")));
        }
        feeds.put("target", Tensor.ofLongs("target", new long[] {2}, 2, 1));
        for (String weight : weights) {
            feeds.put(weight, classifier.graph().initializers().get(weight).initializer());
        }

        Map<String, Tensor> computed;
        try (CompiledModel backward = runtime.compile(gradients.model())) {
            computed = backward.run(feeds);
        }
        Map<String, int[]> sample = new LinkedHashMap<>();
        Random random = new Random(5);
        for (int w = 0; w < weights.size(); w++) {
            String weight = weights.get(w);
            float[] gradient = computed.get(gradients.gradientOutputs().get(weight)).toFloatArray();
            int steepest = 0;
            for (int i = 0; i < gradient.length; i++) {
                assertTrue(Float.isFinite(gradient[i]), "gradient of " + weight + "[" + i + "] is " + gradient[i]);
                if (Math.abs(gradient[i]) > Math.abs(gradient[steepest])) {
                    steepest = i;
                }
            }
            assertTrue(gradient[steepest] != 0, "the gradient of " + weight + " is all zeros");
            if (w % 5 == 0 || weight.startsWith("classifier.")) {
                sample.put(weight, new int[] {steepest, random.nextInt(gradient.length)});
            }
        }
        GradientCheck.checkSample(runtime, gradients, forward, graphs.lossOutput(), feeds, sample, 1e-4, 5e-3);
    }

    /**
     * 300 steps (20 epochs of 15 batches of 8) of AdamW on the head and the last two encoder
     * layers, on a topic set of 160 sentences (120 to train, 40 to validate, stratified), lower
     * the validation loss well below where the untrained head starts, leave the frozen layers
     * bit-identical and export a model with the classifier's interface.
     */
    @Test
    void fineTuningTheHeadAndLastLayersLowersValidationLoss() throws Exception {
        TextDataset topics = TextDatasetReader.of(resource("/topics.tsv"), "text", "label").read();
        assertEquals(List.of("computing", "cooking", "sports", "weather"), topics.classNames());
        TextDataset.Parts parts = topics.splitStratified(0.25, 3);
        List<String> trainable = new ArrayList<>(List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS));
        trainable.addAll(WeightSelection.inScopes(classifier, List.of("encoder.layer.4", "encoder.layer.5")));
        try (TextTokenizer tokenizer = MiniLm.tokenizer(32);
             TrainingSession session = TrainingSession.builder(classifier, ModelTemplates.LOGITS)
                     .loss(Loss.crossEntropy()).trainable(trainable).optimizer(Optimizer.adamW(0.01))
                     .schedule(LearningRateSchedule.warmup(30, LearningRateSchedule.cosine(3e-4, 270, 0)))
                     .build(runtime)) {
            TextBatchLoader train = TextBatchLoader.builder(parts.train(), tokenizer, 8).shuffle(5).build();
            TextBatchLoader validation = TextBatchLoader.builder(parts.validation(), tokenizer, 8).build();
            double before = validationLoss(session, validation);

            TrainingOutcome outcome = Trainer.builder(session, train).validation(validation).epochs(20).build().fit();

            assertEquals(300, session.stepCount());
            EpochStats last = outcome.history().epochs().get(19);
            System.out.printf("MiniLM topic fine-tuning: validation loss %.4f before, %.4f after 300 steps;"
                    + " validation accuracy %.3f; %.1f examples/s%n", before, last.validationLoss(),
                    last.validationAccuracy(), last.examplesPerSecond());
            assertTrue(last.validationLoss() < 0.5 * before,
                    "validation loss " + before + " before training, " + last.validationLoss() + " after");
            assertTrue(last.validationAccuracy() >= 0.9, "validation accuracy " + last.validationAccuracy());
            Model tuned = session.exportModel();
            for (String weight : WeightSelection.all(classifier)) {
                Tensor original = classifier.graph().initializers().get(weight).initializer();
                Tensor now = tuned.graph().initializers().get(weight).initializer();
                assertEquals(trainable.contains(weight), !Arrays.equals(original.toFloatArray(), now.toFloatArray()),
                        weight + (trainable.contains(weight) ? " did not change" : " changed but is frozen"));
            }
            assertEquals(classifier.graph().inputs().stream().map(Value::name).toList(),
                    tuned.graph().inputs().stream().map(Value::name).toList());
        }
    }

    private static double validationLoss(TrainingSession session, TextBatchLoader batches) {
        double sum = 0;
        int count = 0;
        for (Feed batch : batches.epoch(0)) {
            Map<String, Tensor> feed = new HashMap<>(batch.inputs());
            feed.put("target", batch.labels());
            sum += session.evaluate(feed).loss() * batch.size();
            count += batch.size();
        }
        return sum / count;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(MiniLmFineTuningTest.class.getResource(name).toURI());
    }
}
