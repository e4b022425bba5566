package dev.tern.train.models;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.TrainingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassNamesTest {

    @Test
    void namesSurviveTheOnnxFileAsAJsonArray() {
        Model mlp = ModelTemplates.mlp(4, new int[] {8}, 3, 1);
        List<String> names = List.of("Iris \"setosa\"", "versicolor\\virginica", "tab\there, ünïcode");

        ClassNames.store(mlp, ModelTemplates.LOGITS, names);
        Model reread = OnnxImporter.read(OnnxExporter.toBytes(mlp));

        assertEquals("[\"Iris \\\"setosa\\\"\",\"versicolor\\\\virginica\",\"tab\\u0009here, ünïcode\"]",
                reread.metadataProps().get(ClassNames.METADATA_KEY));
        assertEquals(Optional.of(names), ClassNames.read(reread));
    }

    @Test
    void aModelWithoutNamesHasNone() {
        assertEquals(Optional.empty(), ClassNames.read(ModelTemplates.mlp(4, new int[] {8}, 3, 1)));
    }

    @Test
    void namesMustMatchTheScoresOutput() {
        Model mlp = ModelTemplates.mlp(4, new int[] {8}, 3, 1);

        TrainingException count = assertThrows(TrainingException.class,
                () -> ClassNames.store(mlp, ModelTemplates.LOGITS, List.of("a", "b")));
        assertEquals("output 'logits' is tensor(float)[batch,3], which scores 3 classes, but 2 class names were given: "
                + "[a, b]", count.getMessage());
        TrainingException output = assertThrows(TrainingException.class,
                () -> ClassNames.store(mlp, "scores", List.of("a", "b", "c")));
        assertEquals("graph 'mlp' has no output 'scores'; its outputs are [logits]", output.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassNames.store(mlp, ModelTemplates.LOGITS, List.of("a", "a", "b")));
    }

    @Test
    void aMalformedPropertyIsReportedWithItsKey() {
        Model mlp = ModelTemplates.mlp(4, new int[] {8}, 3, 1);
        mlp.metadataProps().put(ClassNames.METADATA_KEY, "[\"a\", 2]");

        TrainingException e = assertThrows(TrainingException.class, () -> ClassNames.read(mlp));

        assertEquals("model property tern.class_names: not a JSON array of strings at character 6: expected '\"'",
                e.getMessage());
    }
}
