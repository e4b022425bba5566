package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.TextDataset;
import dev.tern.train.data.TextDatasetReader;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.models.ClassNames;
import dev.tern.train.models.ClassifierHead;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text path of the library recipe: the 160 topic sentences (4 classes) of the test
 * resources, tokenized with all-MiniLM-L6-v2's tokenizer, a new head on the pretrained encoder
 * trained alone (the encoder frozen), 25% held out stratified with seed 42.
 */
class TextFineTuneDataTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final List<String> TOPICS = List.of("computing", "cooking", "sports", "weather");
    private static final int MAX_TOKENS = 32;

    @TempDir
    static Path temporary;

    private static Model encoder;
    private static Path tokenizer;
    private static Path topics;

    @BeforeAll
    static void loadEncoder() throws URISyntaxException {
        encoder = MiniLm.encoder();
        tokenizer = MiniLm.tokenizerFile(temporary);
        topics = Path.of(TextFineTuneDataTest.class.getResource("/topics.tsv").toURI());
    }

    @Test
    void aHeadTrainedOnTheFrozenEncoderClassifiesTheHeldOutTextsAndNamesTheTopics() throws IOException {
        FineTune.Result result;
        try (FineTuneData data = FineTuneData.text(encoder, topics, tokenizer)
                .hiddenOutput(MiniLm.HIDDEN_OUTPUT)
                .maxTokens(MAX_TOKENS)
                .split(0.25)
                .batch(8)
                .prepare()) {
            assertEquals(List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS), data.alwaysTrained());
            assertEquals(120, data.trainExamples());
            result = FineTune.builder(data)
                    .trainable(List.of("classifier"))
                    .optimizer(Optimizer.adamW(0.01))
                    .schedule(steps -> LearningRateSchedule.constant(1e-2))
                    .epochs(8)
                    .sessionConfig(ONE_THREAD)
                    .build()
                    .run(runtime);
        }

        assertEquals(List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS), result.weights(), "only the head trained");
        Model served = result.model();
        assertEquals(TOPICS, ClassNames.read(served).orElseThrow());
        double validated = result.outcome().history().epochs().get(result.outcome().keptEpoch() - 1)
                .validationAccuracy();
        assertTrue(validated >= 0.8, "held-out accuracy " + validated);
        TextDataset heldOut = TextDatasetReader.of(topics, "text", "label").read().splitStratified(0.25, 42)
                .validation();
        assertEquals(validated, accuracy(served, heldOut), 1e-12,
                "the exported classifier scores the kept epoch's accuracy on the tokenized texts");
    }

    @Test
    void validationTextsNamingOtherTopicsAreRefusedWithTheirFile() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(topics));
        lines.removeIf(line -> line.contains("\tweather") || line.startsWith("weather\t"));
        Path threeTopics = Files.write(temporary.resolve("three-topics.tsv"), lines);

        DatasetException refused = assertThrows(DatasetException.class,
                () -> FineTuneData.text(encoder, topics, tokenizer).validation(threeTopics).prepare());

        assertTrue(refused.getMessage().startsWith(threeTopics + ": names the classes [computing, cooking, sports]"),
                refused.getMessage());
    }

    /** The share of {@code texts} whose highest score is their label. */
    private static double accuracy(Model classifier, TextDataset texts) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            all.add(texts.text(i));
        }
        float[] scores;
        try (TextTokenizer tokens = MiniLm.tokenizer(MAX_TOKENS);
             CompiledModel compiled = runtime.compile(classifier, ONE_THREAD)) {
            Map<String, Tensor> encoded = tokens.encode(all);
            Map<String, Tensor> fed = new HashMap<>();
            for (Value input : classifier.graph().inputs()) {
                fed.put(input.name(), encoded.get(input.name()));
            }
            scores = compiled.run(fed).get(ModelTemplates.LOGITS).toFloatArray();
        }
        int correct = 0;
        for (int i = 0; i < texts.size(); i++) {
            int best = 0;
            for (int c = 1; c < TOPICS.size(); c++) {
                if (scores[i * TOPICS.size() + c] > scores[i * TOPICS.size() + best]) {
                    best = c;
                }
            }
            correct += best == texts.classLabel(i) ? 1 : 0;
        }
        return (double) correct / texts.size();
    }
}
