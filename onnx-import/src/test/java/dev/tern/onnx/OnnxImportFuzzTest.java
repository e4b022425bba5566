package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.ir.Model;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the importer with Jazzer. A normal build runs each target over its
 * committed seeds in {@code OnnxImportFuzzTestInputs/<target>/} (and over past findings kept
 * there); {@code tools/fuzz.sh} runs a target in fuzzing mode. Reading a model may fail only
 * with {@link ModelFormatException}: any other exception, an {@code OutOfMemoryError} or a
 * hang is a finding.
 */
class OnnxImportFuzzTest {
    @TempDir
    static Path root;
    private static ExternalDataFolder folder;

    @BeforeAll
    static void layOutModelFolder() throws IOException {
        folder = ExternalDataFolder.create(root);
    }

    /** Any bytes as a model; a model that is read writes back to bytes that read and write back the same. */
    @FuzzTest
    void modelBytes(byte[] bytes) {
        Model model;
        try {
            model = OnnxImporter.read(bytes);
        } catch (ModelFormatException refused) {
            return;
        }
        byte[] written = OnnxExporter.toBytes(model);
        assertArrayEquals(written, OnnxExporter.toBytes(OnnxImporter.read(written)),
                "a model read back from Tern's own bytes must write the same bytes");
    }

    /**
     * Any bytes as a model file beside data files and links that lead in and out of its folder:
     * whatever locations, offsets and lengths the model names, nothing outside the folder is read.
     */
    @FuzzTest
    @DictionaryEntries({"location", "offset", "length", ExternalDataFolder.DATA_FILE,
            ExternalDataFolder.NESTED_DATA_FILE, ExternalDataFolder.INSIDE_LINK, ExternalDataFolder.OUTSIDE_LINK,
            ExternalDataFolder.OUTSIDE_DIR_LINK + "/" + ExternalDataFolder.OUTSIDE_FILE, "../", "./", "/", "\\", "C:"})
    void externalData(byte[] bytes) throws IOException {
        Path model = folder.writeModel(bytes);
        try {
            OnnxImporter.read(model);
        } catch (ModelFormatException refused) {
            // The documented outcome for a bad model; the check below applies either way.
        }
        folder.assertOutsideNeverRead();
    }
}
