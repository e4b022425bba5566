package dev.tern.train.models;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.TrainingException;
import dev.tern.train.WeightSelection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mean-pooling head on a toy encoder: hidden = embedding[ids] * 1 (a node named like PyTorch's). */
class ClassifierHeadTest {
    private static final float[] EMBEDDING = {1, 2, 3, 10, 20, 30, -4, 0, 4};

    /** ids [batch, tokens] -> hidden [batch, tokens, 3], opset 11, with an unnamed weight read by /encoder/layer.0/scale. */
    private static Model encoder() {
        GraphBuilder g = GraphBuilder.create("toy");
        Value ids = g.input("input_ids", ElementType.INT64, Dim.of("batch"), Dim.of("tokens"));
        g.input("attention_mask", ElementType.INT64, Dim.of("batch"), Dim.of("tokens"));
        Value table = g.initializer(Tensor.ofFloats("embeddings.word.weight", new long[] {3, 3}, EMBEDDING));
        Value embedded = g.op("Gather", table, ids);
        Value scale = g.initializer(Tensor.ofFloats("onnx::Mul_7", new long[] {3}, 1, 1, 1));
        Value hidden = g.node("Mul").name("/encoder/layer.0/scale").inputs(embedded, scale).output();
        hidden.setType(ValueType.tensor(ElementType.FLOAT,
                Shape.of(Dim.of("batch"), Dim.of("tokens"), Dim.of(3))));
        g.output(hidden, "hidden");
        return g.toModel(11);
    }

    @Test
    void logitsAreTheDenseLayerOfTheMeanOverUnmaskedTokens() {
        Model classifier = ClassifierHead.meanPooled(encoder(), "hidden", "attention_mask", 2, 5);
        float[] weight = classifier.graph().initializers().get(ClassifierHead.WEIGHT).initializer().toFloatArray();
        assertEquals(List.of("input_ids", "attention_mask"), classifier.graph().inputs().stream().map(Value::name).toList());
        assertEquals(List.of(ModelTemplates.LOGITS), classifier.graph().outputs().stream().map(Value::name).toList());

        long[] shape = {2, 3};
        Map<String, Tensor> feed = Map.of(
                "input_ids", Tensor.ofLongs("input_ids", shape, 0, 1, 2, 2, 1, 0),
                "attention_mask", Tensor.ofLongs("attention_mask", shape, 1, 1, 0, 1, 0, 0));
        float[] logits;
        try (Runtime runtime = Runtime.create(); CompiledModel model = runtime.compile(classifier)) {
            logits = model.run(feed).get(ModelTemplates.LOGITS).toFloatArray();
        }

        // Row 0 averages embeddings 0 and 1 (the padded 2 is left out); row 1 is embedding 2 alone.
        float[][] pooled = {{5.5f, 11, 16.5f}, {-4, 0, 4}};
        float[] expected = new float[4];
        for (int row = 0; row < 2; row++) {
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < 3; k++) {
                    expected[row * 2 + c] += pooled[row][k] * weight[k * 2 + c];
                }
            }
        }
        assertArrayEquals(expected, logits, 1e-5f);
    }

    @Test
    void aMissingOutputOrMaskIsNamed() {
        TrainingException output = assertThrows(TrainingException.class,
                () -> ClassifierHead.meanPooled(encoder(), "last_hidden_state", "attention_mask", 2, 1));
        assertTrue(output.getMessage().contains("has no output 'last_hidden_state'; its outputs are [hidden]"),
                output.getMessage());
        TrainingException mask = assertThrows(TrainingException.class,
                () -> ClassifierHead.meanPooled(encoder(), "hidden", "mask", 2, 1));
        assertTrue(mask.getMessage().contains("has no input 'mask'"), mask.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassifierHead.meanPooled(encoder(), "hidden", "attention_mask", 1, 1));
    }

    @Test
    void scopesMatchWeightsByTheirOwnNameOrTheNodesReadingThem() {
        Model classifier = ClassifierHead.meanPooled(encoder(), "hidden", "attention_mask", 2, 5);

        assertEquals(List.of("onnx::Mul_7"), WeightSelection.inScopes(classifier, List.of("encoder.layer.0")));
        assertEquals(List.of("embeddings.word.weight", ClassifierHead.WEIGHT, ClassifierHead.BIAS),
                WeightSelection.inScopes(classifier, List.of("classifier", "embeddings")));
        TrainingException none = assertThrows(TrainingException.class,
                () -> WeightSelection.inScopes(classifier, List.of("decoder")));
        assertTrue(none.getMessage().contains("in scope 'decoder'"), none.getMessage());
    }
}
