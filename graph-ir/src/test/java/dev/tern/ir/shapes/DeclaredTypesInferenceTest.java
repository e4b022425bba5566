package dev.tern.ir.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.dims;
import static dev.tern.ir.shapes.Infer.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** How inferred types meet the types a model declares, and what the report lists. */
class DeclaredTypesInferenceTest {
    @Test
    void aContradictionIsReportedPreciselyAndTheDeclaredTypeKept() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Relu").name("act").inputs(floats(g, "x", "2", "3")).output("y");
        g.output(y);
        Model model = g.toModel(17);
        ValueType declared = ValueType.tensor(ElementType.FLOAT, Shape.of(dims("2", "4")));
        y.setType(declared);

        InferenceReport report = ShapeInference.infer(model);

        assertEquals(1, report.contradictions().size());
        InferenceReport.Contradiction contradiction = report.contradictions().get(0);
        assertSame(y, contradiction.value());
        assertEquals("Relu", contradiction.node().opType());
        assertEquals("node 'act' (Relu): value 'y' is declared tensor(float)[2,4] but inferred tensor(float)[2,3]",
                contradiction.describe());
        assertSame(declared, y.type());
    }

    @Test
    void aDeclaredTypeIsOnlySharpened() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.op("Relu", floats(g, "x", "2", "?", "n"));
        g.output(y);
        Model model = g.toModel(17);
        y.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(dims("batch", "k", "?"))));

        InferenceReport report = ShapeInference.infer(model);

        assertFalse(report.hasProblems(), report::toString);
        // A known size beats a symbol; an unknown never replaces a symbol; a symbol fills an unknown.
        assertType("tensor(float)[2,k,n]", y);
    }

    @Test
    void anElementTypeMismatchIsAContradiction() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.op("Relu", floats(g, "x", "2"));
        g.output(y);
        Model model = g.toModel(17);
        y.setType(ValueType.tensor(ElementType.DOUBLE, Shape.of(2)));
        assertEquals(1, ShapeInference.infer(model).contradictions().size());
    }

    @Test
    void unknownOpsAreListedAndTheirOutputsLeftUntyped() {
        GraphBuilder g = GraphBuilder.create("g").opset("com.example", 1);
        Value custom = g.node("Frobnicate").domain("com.example").inputs(floats(g, "x", "2")).output("custom");
        Value after = g.op("Relu", custom);
        g.output(after);
        Model model = g.toModel(17);

        InferenceReport report = ShapeInference.infer(model);

        assertFalse(report.hasProblems());
        assertEquals(Map.of("com.example::Frobnicate", 1), report.opsWithoutRule());
        assertEquals(List.of(custom, after), report.untypedValues());
    }

    @Test
    void valuesWithAnUnknownDimensionAreListedApartFromUntypedOnes() {
        GraphBuilder g = GraphBuilder.create("g").opset("com.example", 1);
        Value x = floats(g, "x", "batch", "3");
        Value partly = floats(g, "partly", "?", "3");
        Value anyRank = g.input("list", new ValueType.SequenceType(ValueType.tensor(ElementType.FLOAT, Shape.unknownRank())));
        Value positions = g.op("NonZero", x);
        Value known = g.op("Relu", x);
        Value custom = g.node("Frobnicate").domain("com.example").inputs(known).output("custom");
        g.output(positions);
        g.output(custom);
        g.output(g.op("Relu", partly));
        Model model = g.toModel(17);

        InferenceReport report = ShapeInference.infer(model);

        assertFalse(report.hasProblems(), report::toString);
        assertType("tensor(int64)[2,?]", positions);
        // x [batch, 3] and Relu(x) are complete: a symbolic dimension names a size.
        assertEquals(List.of(partly, anyRank, positions, model.graph().outputs().get(2)), report.valuesWithUnknownDims());
        assertEquals(List.of(custom), report.untypedValues());
        assertEquals(7, report.valueCount());
    }
}
