package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing over a model with external data never touches the data file the old model reads
 * before the new model has replaced it: the data go to the name asked for and its alternate in
 * turn, and the old one is deleted after. (That a kill at any moment leaves a readable pair is
 * shown by {@code KilledWriteTest} in the tests module.)
 */
class ExternalDataReplacementTest {
    private static final int FLOATS = 500;
    private static final ExportOptions EXTERNAL = ExportOptions.builder().externalData(true).build();

    @TempDir
    Path dir;

    @Test
    void writesOverOneModelTakeTheDataFileNameAndItsAlternateInTurn() throws IOException {
        Path file = dir.resolve("m.onnx");
        for (int version = 1; version <= 3; version++) {
            OnnxExporter.write(versioned(version), file, EXTERNAL);

            String expected = version % 2 == 1 ? "m.onnx.data" : "m.onnx.alt.data";
            assertEquals(List.of(expected), OnnxImporter.externalDataFiles(file), "version " + version);
            assertEquals(List.of("m.onnx", expected), fileNames(), "version " + version);
            assertEquals(version, versionOf(file));
        }
    }

    @Test
    void aNamedDataFileAlternatesWithItsNameBeforeTheExtension() throws IOException {
        Path file = dir.resolve("m.onnx");
        ExportOptions named = ExportOptions.builder().externalData(true).externalDataFileName("weights.bin").build();
        OnnxExporter.write(versioned(1), file, named);
        OnnxExporter.write(versioned(2), file, named);

        assertEquals(List.of("weights.alt.bin"), OnnxImporter.externalDataFiles(file));
        assertEquals(List.of("m.onnx", "weights.alt.bin"), fileNames());
        assertEquals(2, versionOf(file));
    }

    @Test
    void writingOverTheFileTheModelWasReadFromKeepsItsTensorsReadable() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(versioned(1), file, EXTERNAL);
        Model imported = OnnxImporter.read(file);
        imported.metadataProps().put("note", "written again");

        OnnxExporter.write(imported, file, EXTERNAL);

        assertEquals(List.of("m.onnx", "m.onnx.alt.data"), fileNames());
        assertEquals("written again", OnnxImporter.read(file).metadataProps().get("note"));
        assertEquals(1, versionOf(file));
        assertEquals(1f, imported.graph().initializers().get("w0").initializer().toFloatArray()[0],
                "the imported tensors still map the deleted data file");
    }

    @Test
    void anInlineWriteDeletesTheDataFileOnlyTheOldModelUsed() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(versioned(1), file, EXTERNAL);
        OnnxExporter.write(versioned(2), file);

        assertEquals(List.of(), OnnxImporter.externalDataFiles(file));
        assertEquals(List.of("m.onnx"), fileNames());
        assertEquals(2, versionOf(file));
    }

    @Test
    void dataFilesOfOtherNamesAreLeftAlone() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(versioned(1), file,
                ExportOptions.builder().externalData(true).externalDataFileName("shared.bin").build());
        OnnxExporter.write(versioned(2), file, EXTERNAL);

        assertEquals(List.of("m.onnx", "m.onnx.data", "shared.bin"), fileNames());
        assertEquals(2, versionOf(file));
    }

    @Test
    void aFileThatIsNoModelIsSimplyReplaced() throws IOException {
        Path file = Files.writeString(dir.resolve("m.onnx"), "not a model");
        OnnxExporter.write(versioned(1), file, EXTERNAL);

        assertEquals(List.of("m.onnx.data"), OnnxImporter.externalDataFiles(file));
        assertEquals(1, versionOf(file));
    }

    /** A hand-made model whose tensors lie in both names cannot be replaced safely: the write refuses, changing nothing. */
    @Test
    void aModelUsingBothNamesIsRefusedAndLeftAsItWas() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(versioned(1), file, EXTERNAL);
        Files.copy(dir.resolve("m.onnx.data"), dir.resolve("m.onnx.alt.data"));
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(file));
        ModelProto.Builder both = proto.toBuilder();
        TensorProto.Builder w1 = both.getGraphBuilder().getInitializerBuilderList().stream()
                .filter(tensor -> tensor.getName().equals("w1")).findFirst().orElseThrow();
        for (StringStringEntryProto.Builder entry : w1.getExternalDataBuilderList()) {
            if (entry.getKey().equals("location")) {
                entry.setValue("m.onnx.alt.data");
            }
        }
        Files.write(file, both.build().toByteArray());
        byte[] before = Files.readAllBytes(file);

        ModelFormatException refused = assertThrows(ModelFormatException.class,
                () -> OnnxExporter.write(versioned(2), file, EXTERNAL));

        assertTrue(refused.getMessage().contains("keeps its tensors in both 'm.onnx.data' and 'm.onnx.alt.data'"),
                refused::getMessage);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.onnx", "m.onnx.alt.data", "m.onnx.data"), fileNames());
        assertEquals(1, versionOf(file));
    }

    /** Two weights of {@value #FLOATS} floats; {@code w0} holds {@code version} throughout, as does the metadata. */
    private static Model versioned(int version) {
        Model model = Models.bigWeights(2, FLOATS);
        float[] stamp = new float[FLOATS];
        Arrays.fill(stamp, version);
        model.graph().initializers().get("w0").setInitializer(Tensor.ofFloats("w0", new long[] {FLOATS}, stamp));
        model.metadataProps().put("version", Integer.toString(version));
        return model;
    }

    /** The version of the model at {@code file}, checked against the one its external data hold. */
    private static int versionOf(Path file) throws IOException {
        Model model = OnnxImporter.read(file);
        int version = Integer.parseInt(model.metadataProps().get("version"));
        for (float value : model.graph().initializers().get("w0").initializer().toFloatArray()) {
            assertEquals(version, value, "the metadata's version against the data's");
        }
        return version;
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
