package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GAN on the digits (pixels / 16), trained as two parameter groups over one graph that holds
 * the generator G: z [batch, 16] -> 128 (ReLU) -> 64 (sigmoid) and the discriminator D:
 * 64 -> 128 (LeakyReLU 0.2) -> 1 logit, applied to the real batch and to G(z). The
 * discriminator's loss is BCE(D(real), 1) + BCE(D(G(z)), 0); the generator's is the
 * non-saturating BCE(D(G(z)), 1). The ones and zeros are batch columns. 24,000 rounds of one
 * discriminator and one generator step on batches of 64, both Adam (beta1 0.5) with a cosine
 * schedule from 1e-3, one ONNX Runtime thread. An independent
 * MLP classifier, trained on the real digits here, then judges 1,000 samples of the exported
 * generator.
 */
class GanDigitsTest extends LeakCheckedRuntime {
    private static final int NOISE = 16;
    private static final int HIDDEN = 128;
    private static final int BATCH = 64;
    private static final int ROUNDS = 24_000;
    private static final int SAMPLES = 1000;
    private static final int CLASSIFIER_EPOCHS = 80;
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final List<String> GENERATOR = List.of("g1.w", "g1.b", "g2.w", "g2.b");
    private static final List<String> DISCRIMINATOR = List.of("d1.w", "d1.b", "d2.w", "d2.b");

    private final Digits digits = Digits.load();

    private static Model gan(long seed) {
        Random random = new Random(seed);
        GraphBuilder g = GraphBuilder.create("gan");
        Value z = g.input("z", ElementType.FLOAT, Dim.of("batch"), Dim.of(NOISE));
        Value real = g.input("real", ElementType.FLOAT, Dim.of("batch"), Dim.of(Digits.FEATURES));
        Value hidden = g.op("Relu", dense(g, random, "g1", z, NOISE, HIDDEN));
        Value fake = g.op("Sigmoid", dense(g, random, "g2", hidden, HIDDEN, Digits.FEATURES));
        fake.rename("fake");
        List<Value> discriminator = List.of(
                g.initializer(Mlps.uniform("d1.w", random, Digits.FEATURES, Digits.FEATURES, HIDDEN)),
                g.initializer(Mlps.uniform("d1.b", random, Digits.FEATURES, HIDDEN)),
                g.initializer(Mlps.uniform("d2.w", random, HIDDEN, HIDDEN, 1)),
                g.initializer(Mlps.uniform("d2.b", random, HIDDEN, 1)));
        g.output(discriminate(g, discriminator, real), "d_real");
        g.output(discriminate(g, discriminator, fake), "d_fake");
        g.output(fake);
        return g.toModel(17);
    }

    private static Value dense(GraphBuilder g, Random random, String name, Value x, int in, int out) {
        Value w = g.initializer(Mlps.uniform(name + ".w", random, in, in, out));
        Value b = g.initializer(Mlps.uniform(name + ".b", random, in, out));
        return g.op("Add", g.op("MatMul", x, w), b);
    }

    /** D(x) with weights [w1, b1, w2, b2]: the same initializers on every use. */
    private static Value discriminate(GraphBuilder g, List<Value> weights, Value x) {
        Value hidden = g.node("LeakyRelu").inputs(g.op("Add", g.op("MatMul", x, weights.get(0)), weights.get(1)))
                .attr("alpha", 0.2f).output();
        return g.op("Add", g.op("MatMul", hidden, weights.get(2)), weights.get(3));
    }

    private static GroupTrainingSession ganSession(Model model) {
        Optimizer adam = new Optimizer.Adam(0.5, 0.999, 1e-8, 0, false);
        LossTerms realIsOne = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_real", "ones");
        LossTerms fakeIsZero = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_fake", "zeros");
        LossTerms fakeIsOne = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_fake", "ones");
        return GroupTrainingSession.builder(model)
                .group(new ParameterGroup("discriminator", realIsOne.plus(fakeIsZero), DISCRIMINATOR, adam,
                        LearningRateSchedule.cosine(1e-3, ROUNDS, 1e-5)))
                .group(new ParameterGroup("generator", fakeIsOne, GENERATOR, adam,
                        LearningRateSchedule.cosine(1e-3, ROUNDS, 1e-5)))
                .sessionConfig(ONE_THREAD)
                .build(runtime);
    }

    @Test
    void generatedDigitsAreConfidentlyClassifiedAndCoverEveryClass() {
        Model generator;
        try (GroupTrainingSession gan = ganSession(gan(3))) {
            assertEquals(List.of("z", "real", "ones", "zeros"), gan.dataInputs("discriminator"));
            assertEquals(List.of("z", "real", "ones"), gan.dataInputs("generator"));
            train(gan);
            generator = gan.exportModel(List.of("z"), List.of("fake"));
        }
        float[] samples = sample(generator, new Random(99));
        try (CompiledModel classifier = runtime.compile(trainClassifier(), ONE_THREAD)) {
            Tensor logits = classifier.run(Map.of("x", Tensor.ofFloats("x", new long[] {SAMPLES, Digits.FEATURES},
                    samples))).get("logits");
            Judgement judgement = Judgement.of(logits);
            assertTrue(judgement.confident() >= 0.7 * SAMPLES, judgement.toString());
            assertTrue(Arrays.stream(judgement.perClass()).allMatch(count -> count >= 0.03 * SAMPLES),
                    judgement.toString());
        }
    }

    /** Alternates one discriminator and one generator step per round on real batches drawn in shuffled order. */
    private void train(GroupTrainingSession gan) {
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < digits.size(); row++) {
            rows.add(row);
        }
        Random random = new Random(17);
        Tensor ones = filled("ones", 1f);
        Tensor zeros = filled("zeros", 0f);
        int from = digits.size();
        for (int round = 0; round < ROUNDS; round++) {
            if (from + BATCH > digits.size()) {
                Collections.shuffle(rows, random);
                from = 0;
            }
            Tensor real = digits.batch(rows, from, from + BATCH).get("x").withName("real");
            from += BATCH;
            Map<String, Tensor> batch = new HashMap<>(Map.of("z", noise(random, BATCH), "real", real, "ones", ones));
            Map<String, Tensor> discriminatorBatch = new HashMap<>(batch);
            discriminatorBatch.put("zeros", zeros);
            gan.step(discriminatorBatch, "discriminator");
            batch.put("z", noise(random, BATCH));
            gan.step(batch, "generator");
        }
    }

    private static Tensor filled(String name, float value) {
        float[] values = new float[BATCH];
        Arrays.fill(values, value);
        return Tensor.ofFloats(name, new long[] {BATCH, 1}, values);
    }

    private static Tensor noise(Random random, int count) {
        float[] values = new float[count * NOISE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats("z", new long[] {count, NOISE}, values);
    }

    private float[] sample(Model generator, Random random) {
        try (CompiledModel compiled = runtime.compile(generator, ONE_THREAD)) {
            return compiled.run(Map.of("z", noise(random, SAMPLES))).get("fake").toFloatArray();
        }
    }

    /**
     * An MLP 64-128-10 trained on 80% of the real digits for 80 epochs (Adam, 3e-3), checked to
     * classify the other 20% at 95% or better.
     */
    private Model trainClassifier() {
        List<List<Integer>> split = digits.split(0.2, 7);
        List<Integer> training = new ArrayList<>(split.get(0));
        Random shuffle = new Random(11);
        try (TrainingSession session = TrainingSession.builder(Mlps.mlp(3, Digits.FEATURES, HIDDEN, Digits.CLASSES), "logits")
                .loss(Loss.crossEntropy()).trainable(Mlps.WEIGHTS).optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.constant(3e-3)).sessionConfig(ONE_THREAD).build(runtime)) {
            for (int epoch = 0; epoch < CLASSIFIER_EPOCHS; epoch++) {
                Collections.shuffle(training, shuffle);
                for (int from = 0; from < training.size(); from += BATCH) {
                    session.step(digits.batch(training, from, Math.min(from + BATCH, training.size())));
                }
            }
            Map<String, Tensor> held = digits.batch(split.get(1), 0, split.get(1).size());
            long[] predicted = Mlps.argmax(session.evaluate(held).prediction());
            long[] labels = held.get("target").toLongArray();
            long correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            assertTrue(correct >= 0.95 * labels.length, "classifier accuracy " + correct + "/" + labels.length);
            return session.exportModel();
        }
    }
}
