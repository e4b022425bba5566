package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.onnx.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tern's decoder cross-checked by the independent reader, on the backend test data and on a file made here. */
class CaseDataTest {
    private static final Path DATA = Path.of(System.getProperty("tern.onnx.testdata",
            "/usr/share/libonnx-testdata/data"));

    @Test
    void bothReadersAgreeOnTensorsStringsSequencesAndOptionals() throws IOException {
        assertInstanceOf(TestData.TensorData.class, expectedOutput("test_add"));
        TestData strings = expectedOutput("test_cast_FLOAT_to_STRING");
        assertEquals(List.of("0.9767611", "0.6048455", "0.7392636"),
                ((TestData.TensorData) strings).tensor().stringsUtf8().subList(0, 3));
        assertEquals(4, ((TestData.SequenceData) expectedOutput("test_sequence_insert_at_back")).elements().size());
        assertTrue(((TestData.OptionalData) input("test_optional_get_element_sequence")).value()
                .orElseThrow() instanceof TestData.SequenceData);
        assertTrue(((TestData.OptionalData) input("test_optional_has_element_empty")).value().isEmpty());
    }

    @Test
    void aDifferentReadingIsNamedWithWhatDiffers() throws IOException {
        Path add = DATA.resolve("node/test_add/test_data_set_0");
        ValueType floats = ValueType.tensor(ElementType.FLOAT, 3, 4, 5);
        TestData first = OnnxImporter.readValue(add.resolve("input_0.pb"), floats);
        TestData second = IndependentTestDataReader.read(add.resolve("input_1.pb"), floats);
        assertEquals("Tern read FLOAT[3, 4, 5], the independent reader FLOAT[3, 4, 5] with other element values",
                CaseData.difference(first, second).orElseThrow());
        assertTrue(CaseData.difference(first, IndependentTestDataReader.read(add.resolve("input_0.pb"), floats))
                .isEmpty());

        Path insert = DATA.resolve("node/test_sequence_insert_at_back/test_data_set_0");
        ValueType sequence = new ValueType.SequenceType(ValueType.tensor(ElementType.INT64, Shape.unknownRank()));
        assertEquals("sequence of 3 elements for Tern, 4 for the independent reader", CaseData.difference(
                OnnxImporter.readValue(insert.resolve("input_0.pb"), sequence),
                IndependentTestDataReader.read(insert.resolve("output_0.pb"), sequence)).orElseThrow());
        assertEquals("Tern read a TensorData, the independent reader a SequenceData", CaseData.difference(first,
                IndependentTestDataReader.read(insert.resolve("input_0.pb"), sequence)).orElseThrow());
    }

    /**
     * A file Tern's decoder reads but the independent reader refuses (float_data instead of
     * raw_data) fails its case: the case cannot be skipped on data nobody confirmed.
     */
    @Test
    void dataTheIndependentReaderCannotConfirmFailTheCase(@TempDir Path dir) throws IOException {
        GraphBuilder g = GraphBuilder.create("identity");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1));
        g.output(g.op("Identity", x), "y");
        Model model = g.toModel(13);
        Files.write(dir.resolve("model.onnx"), OnnxExporter.toBytes(model));
        Path dataSet = Files.createDirectory(dir.resolve("test_data_set_0"));
        // TensorProto{dims: [1], data_type: FLOAT, float_data: [1.5]}, written field by field.
        byte[] typedFloat = {0x08, 0x01, 0x10, 0x01, 0x22, 0x04, 0x00, 0x00, (byte) 0xc0, 0x3f};
        Files.write(dataSet.resolve("input_0.pb"), typedFloat);
        Files.write(dataSet.resolve("output_0.pb"), typedFloat);
        BackendCase testCase = new BackendCase("made", "typed_float", dir);

        assertEquals(1.5f, ((TestData.TensorData) OnnxImporter.readValue(dataSet.resolve("input_0.pb"),
                model.graph().inputs().get(0).type())).tensor().toFloatArray()[0]);
        String message = assertThrows(CaseData.DecoderDisagreementException.class,
                () -> CaseData.read(testCase, model)).getMessage();
        assertTrue(message.contains("input_0.pb") && message.contains("the independent reader could not")
                && message.contains("field 4"), message);
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (Runtime runtime = Runtime.create()) {
            CaseResult result = new CaseRunner(env, runtime).run(testCase);
            CaseResult.Failed failed = assertInstanceOf(CaseResult.Failed.class, result);
            assertTrue(failed.reason().startsWith("reading the case failed: "), failed.reason());
        }
    }

    private static TestData expectedOutput(String name) throws IOException {
        return data(name).expected().values().iterator().next();
    }

    private static TestData input(String name) throws IOException {
        return data(name).inputs().values().iterator().next();
    }

    /** The first data set of node/{@code name}, read by both readers (which must agree). */
    private static CaseData.DataSet data(String name) throws IOException {
        BackendCase testCase = new BackendCase("node", name, DATA.resolve("node").resolve(name));
        return CaseData.read(testCase, OnnxImporter.read(testCase.model())).get(0);
    }
}
