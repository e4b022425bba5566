package dev.tern.ir.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.dims;
import static dev.tern.ir.shapes.Infer.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementwiseInferenceTest {
    @Test
    void broadcastingKeepsSymbolsAndLetsKnownSizesWin() {
        GraphBuilder g = GraphBuilder.create("g");
        Value a = floats(g, "a", "batch", "1", "4");
        Value b = floats(g, "b", "3", "1");
        Value sum = g.op("Add", a, b);
        Value relu = g.op("Relu", sum);
        cleanly(g, relu, 17);
        assertType("tensor(float)[batch,3,4]", sum);
        assertType("tensor(float)[batch,3,4]", relu);
    }

    @Test
    void differentSymbolsBroadcastToUnknownAndEqualOnesStay() {
        GraphBuilder g = GraphBuilder.create("g");
        Value a = floats(g, "a", "n", "m");
        Value b = floats(g, "b", "n", "k");
        Value c = floats(g, "c", "1", "?");
        Value ab = g.op("Mul", a, b);
        Value ac = g.op("Sub", a, c);
        g.output(ab);
        cleanly(g, ac, 17);
        assertType("tensor(float)[n,?]", ab);
        assertType("tensor(float)[n,?]", ac);
    }

    @Test
    void comparisonsGiveBoolAndWhereTakesItsValuesType() {
        GraphBuilder g = GraphBuilder.create("g");
        Value a = floats(g, "a", "batch", "4");
        Value b = floats(g, "b", "4");
        Value less = g.op("Less", a, b);
        Value where = g.op("Where", less, a, b);
        g.output(less);
        cleanly(g, where, 17);
        assertType("tensor(bool)[batch,4]", less);
        assertType("tensor(float)[batch,4]", where);
    }

    @Test
    void dropoutMaskIsBoolOfTheInputsShape() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "8");
        var outputs = g.node("Dropout").inputs(x).outputs(2);
        g.output(outputs.get(1));
        cleanly(g, outputs.get(0), 13);
        assertType("tensor(float)[batch,8]", outputs.get(0));
        assertType("tensor(bool)[batch,8]", outputs.get(1));
    }

    @Test
    void incompatibleSizesAreAConflictAndTheOutputStaysUnknown() {
        GraphBuilder g = GraphBuilder.create("g");
        Value sum = g.op("Add", floats(g, "a", "2", "3"), floats(g, "b", "4"));
        g.output(sum);
        InferenceReport report = ShapeInference.infer(g.toModel(17));
        assertEquals(1, report.conflicts().size());
        assertTrue(report.conflicts().get(0).describe().contains("(Add): cannot broadcast"),
                report.conflicts().get(0).describe());
        assertNull(sum.type());
    }

    @Test
    void castChangesTheElementTypeOnly() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = g.input("x", ElementType.INT64, dims("batch", "7"));
        Value cast = g.node("Cast").inputs(x).attr("to", (long) ElementType.FLOAT16.onnxCode()).output();
        cleanly(g, cast, 17);
        assertType("tensor(float16)[batch,7]", cast);
    }
}
