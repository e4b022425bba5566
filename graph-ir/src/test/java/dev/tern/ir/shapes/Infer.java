package dev.tern.ir.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Helpers for inference tests: dims from text, int64 constants, and running inference on a builder's model. */
final class Infer {
    private Infer() {
    }

    /** "batch" is a symbol, "?" unknown, digits a size. */
    static Dim[] dims(String... specs) {
        Dim[] dims = new Dim[specs.length];
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            dims[i] = spec.equals("?") ? Dim.UNKNOWN : spec.matches("\\d+") ? Dim.of(Long.parseLong(spec)) : Dim.of(spec);
        }
        return dims;
    }

    static Value floats(GraphBuilder g, String name, String... dims) {
        return g.input(name, ElementType.FLOAT, dims(dims));
    }

    static Value longs(GraphBuilder g, String name, long... values) {
        return g.initializer(Tensor.ofLongs(name, new long[] {values.length}, values));
    }

    /** Infers {@code g}'s model at {@code opset} and checks that nothing went wrong. */
    static InferenceReport cleanly(GraphBuilder g, Value output, long opset) {
        g.output(output);
        Model model = g.toModel(opset);
        InferenceReport report = ShapeInference.infer(model);
        assertFalse(report.hasProblems(), report.contradictions() + " " + report.conflicts());
        return report;
    }

    /** The value's type in ONNX's text form, "tensor(float)[batch,3]". */
    static void assertType(String expected, Value value) {
        assertEquals(expected, String.valueOf(value.type()), "type of " + value.name());
    }
}
