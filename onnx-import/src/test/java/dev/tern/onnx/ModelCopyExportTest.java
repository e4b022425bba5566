package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A copy exports to the same bytes as its original, and editing it leaves the original's export as it was. */
class ModelCopyExportTest {
    @Test
    void copiesOfBuiltModelsExportIdentically() {
        List<Supplier<Model>> models = List.of(Models::linear, Models::everyElementType, Models::everyAttributeType,
                Models::withSubgraphs, Models::withFunction);
        for (Supplier<Model> make : models) {
            Model original = make.get();
            assertArrayEquals(OnnxExporter.toBytes(original), OnnxExporter.toBytes(original.copy()),
                    "copy of " + original.graph().name());
        }
    }

    @Test
    void copyOfModelWithEveryFieldExportsIdenticallyAndStaysUnmodified() {
        Model imported = OnnxImporter.read(HandWrittenModels.everyField(Model.LATEST_IR_VERSION).toByteArray());
        Model copy = imported.copy();
        assertFalse(copy.isModified(), "a copy of an unchanged model keeps the file's producer");
        assertFalse(copy.trainingInfo().isEmpty());
        assertFalse(copy.functions().isEmpty());
        assertNotSame(imported.trainingInfo().get(0).algorithm(), copy.trainingInfo().get(0).algorithm());
        assertArrayEquals(OnnxExporter.toBytes(imported), OnnxExporter.toBytes(copy));
    }

    @Test
    void editingTheCopyLeavesTheOriginalsExportAlone() {
        Model original = Models.withSubgraphs();
        byte[] before = OnnxExporter.toBytes(original);
        Model copy = original.copy();
        Value firstInput = copy.graph().inputs().get(0);
        firstInput.rename("renamed_in_copy");
        copy.metadataProps().put("edited", "yes");
        copy.graph().allNodes().forEach(node -> node.setName(node.name() + "_copy"));

        assertArrayEquals(before, OnnxExporter.toBytes(original));
        assertFalse(Arrays.equals(before, OnnxExporter.toBytes(copy)));
        assertTrue(original.graph().allNodes().stream().map(Node::name).noneMatch(name -> name.endsWith("_copy")));
    }

    @Test
    void weightsAreSharedNotCopied() {
        Model original = Models.linear();
        Model copy = original.copy();
        assertSame(original.graph().initializers().get("W").initializer(),
                copy.graph().initializers().get("W").initializer());
    }
}
