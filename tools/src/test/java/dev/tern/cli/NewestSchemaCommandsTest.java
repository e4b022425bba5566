package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code inspect}, {@code check} and {@code convert} take models of IR versions 12 and 13 using
 * what those versions added, and of an IR version newer than Tern knows.
 */
class NewestSchemaCommandsTest {
    @TempDir
    Path temp;

    /**
     * y = x * gain with x float[batch, 4] (denoted), gain annotated as quantized and carrying
     * metadata, a training step updating gain, and one unused initializer of each element type
     * IR versions 12 (FLOAT8E8M0) and 13 (UINT2, INT2) added, written with ir_version
     * {@code irVersion}.
     */
    private Path write(long irVersion) throws IOException {
        GraphBuilder g = GraphBuilder.create("newest");
        Value x = g.input("x", ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(4))
                .withDenotations(List.of("DATA_BATCH", "DATA_FEATURE"))).withDenotation("TENSOR"));
        Value gain = g.initializer(Tensor.ofFloats("gain", new long[] {4}, 1, 2, 3, 4)
                .withMetadataProps(Map.of("origin", "calibration")));
        g.output(g.node("Mul").name("scale_up").inputs(x, gain).output("y"));
        for (ElementType type : List.of(ElementType.FLOAT8E8M0, ElementType.UINT2, ElementType.INT2)) {
            g.initializer(Tensor.of("t_" + type.onnxName(), type, new long[] {5},
                    ByteBuffer.allocate((int) type.byteSize(5))));
        }
        Model model = g.toModel(21);
        model.setIrVersion(irVersion);
        model.graph().quantizationAnnotations().put("gain", QuantizationAnnotation.linear("gain_scale", "gain_zero"));
        model.trainingInfo().add(trainingStep());
        Path file = temp.resolve("ir" + irVersion + ".onnx");
        OnnxExporter.write(model, file);
        return file;
    }

    /** gain_next = gain + delta, bound to update gain; gain is the inference graph's, read by name. */
    private static TrainingInfo trainingStep() {
        Graph algorithm = new Graph("step");
        Value delta = algorithm.addInitializer(Tensor.ofFloats("delta", new long[] {4}, 0.1f, 0.1f, 0.1f, 0.1f));
        Value next = new Value("gain_next", ValueType.tensor(ElementType.FLOAT, 4));
        algorithm.appendNode(new Node("", "Add", List.of(new Value("gain"), delta), List.of(next), List.of()));
        algorithm.addOutput(next);
        TrainingInfo step = new TrainingInfo();
        step.setAlgorithm(algorithm);
        step.updateBindings().put("gain", "gain_next");
        return step;
    }

    @ParameterizedTest(name = "IR version {0}")
    @ValueSource(longs = {12, 13, 99})
    void inspectReportsTheVersionAndTheNewElementTypes(long irVersion) throws IOException {
        Path model = write(irVersion);

        CliRun run = CliRun.of("inspect", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.contains("ir version       " + irVersion), run::toString);
        assertTrue(lines.contains("producer         tern " + OnnxExporter.producerVersion()), run::toString);
        // gain: 4 floats (16 B); 5 elements of each new type: float8e8m0 5 B, uint2 and int2 2 B each.
        assertTrue(lines.contains("parameters       19 (25 B)"), run::toString);
    }

    @ParameterizedTest(name = "IR version {0}")
    @ValueSource(longs = {12, 13})
    void checkFindsTheModelValid(long irVersion) throws IOException {
        Path model = write(irVersion);

        CliRun run = CliRun.of("check", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
    }

    @ParameterizedTest(name = "IR version {0}")
    @ValueSource(longs = {12, 13, 99})
    void convertWritesTheSameBytesBack(long irVersion) throws IOException {
        Path model = write(irVersion);
        Path converted = temp.resolve("converted.onnx");

        CliRun run = CliRun.of("convert", model.toString(), converted.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(converted));
    }
}
