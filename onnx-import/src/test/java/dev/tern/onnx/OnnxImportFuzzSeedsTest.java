package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed corpus of {@link OnnxImportFuzzTest}, built from models made in code. Each seed is
 * checked to be the input it is meant to be (a model that reads back, a location that is read
 * or refused), then written under {@code target/fuzz-seeds/}; {@code tools/fuzz.sh seeds}
 * copies that tree into {@code src/test/resources}, where the fuzz test finds it.
 */
class OnnxImportFuzzSeedsTest {
    private static final Path SEEDS = Path.of("target", "fuzz-seeds", "dev", "tern", "onnx", "OnnxImportFuzzTestInputs");
    /** Locations of the first weight that lead to a file inside the model's folder. */
    private static final List<String> INSIDE = List.of(ExternalDataFolder.DATA_FILE, "./" + ExternalDataFolder.DATA_FILE,
            ExternalDataFolder.NESTED_DATA_FILE, ExternalDataFolder.INSIDE_LINK);
    /** Locations that lead outside it, each a different way. */
    private static final List<String> OUTSIDE = List.of("../" + ExternalDataFolder.OUTSIDE_FILE,
            "nested/../../" + ExternalDataFolder.OUTSIDE_FILE, ExternalDataFolder.OUTSIDE_LINK,
            ExternalDataFolder.OUTSIDE_DIR_LINK + "/" + ExternalDataFolder.OUTSIDE_FILE);

    @TempDir
    Path root;

    @Test
    void modelBytesSeedsAreModelsThatReadBack() throws IOException {
        Map<String, Model> models = new LinkedHashMap<>();
        models.put("linear", Models.linear());
        models.put("every-element-type", Models.everyElementType());
        models.put("every-attribute-type", Models.everyAttributeType());
        models.put("subgraphs", Models.withSubgraphs());
        models.put("function", Models.withFunction());
        for (Map.Entry<String, Model> model : models.entrySet()) {
            byte[] bytes = OnnxExporter.toBytes(model.getValue());
            assertArrayEquals(bytes, OnnxExporter.toBytes(OnnxImporter.read(bytes)), model.getKey());
            write("modelBytes", model.getKey() + ".onnx", bytes);
        }
    }

    @Test
    void externalDataSeedsAreReadInsideTheFolderAndRefusedOutside() throws IOException {
        ExternalDataFolder folder = ExternalDataFolder.create(root);
        ModelProto seed = ModelProto.parseFrom(folder.seedModelBytes());
        Tensor expected = ExternalDataFolder.seedModel().graph().initializers().get("w0").initializer();
        for (String location : INSIDE) {
            byte[] bytes = withFirstWeightAt(seed, location).toByteArray();
            Model read = OnnxImporter.read(folder.writeModel(bytes));
            assertTrue(expected.contentEquals(read.graph().initializers().get("w0").initializer()), location);
            write("externalData", "inside-" + INSIDE.indexOf(location) + ".onnx", bytes);
        }
        for (String location : OUTSIDE) {
            byte[] bytes = withFirstWeightAt(seed, location).toByteArray();
            Path model = folder.writeModel(bytes);
            assertThrows(ModelFormatException.class, () -> OnnxImporter.read(model), location);
            write("externalData", "outside-" + OUTSIDE.indexOf(location) + ".onnx", bytes);
        }
        byte[] absolute = withFirstWeightAt(seed, folder.outside().toString()).toByteArray();
        Path model = folder.writeModel(absolute);
        assertThrows(ModelFormatException.class, () -> OnnxImporter.read(model));
        folder.assertOutsideNeverRead();
    }

    private static ModelProto withFirstWeightAt(ModelProto model, String location) {
        ModelProto.Builder changed = model.toBuilder();
        TensorProto.Builder weight = changed.getGraphBuilder().getInitializerBuilder(0);
        for (int i = 0; i < weight.getExternalDataCount(); i++) {
            if (weight.getExternalData(i).getKey().equals("location")) {
                weight.setExternalData(i, StringStringEntryProto.newBuilder().setKey("location").setValue(location));
            }
        }
        return changed.build();
    }

    private static void write(String target, String name, byte[] bytes) throws IOException {
        Path file = SEEDS.resolve(target).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
