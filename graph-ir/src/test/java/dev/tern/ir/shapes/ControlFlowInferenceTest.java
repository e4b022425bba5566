package dev.tern.ir.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;

class ControlFlowInferenceTest {
    @Test
    void ifKeepsWhatBothBranchesAgreeOn() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "3");
        Value flag = g.input("flag", ElementType.BOOL);
        GraphBuilder thenBuilder = g.subgraph("then");
        Value thenOut = thenBuilder.op("Relu", x);
        thenBuilder.output(thenOut);
        GraphBuilder elseBuilder = g.subgraph("else");
        Value elseOut = elseBuilder.node("Concat").inputs(x, x).attr("axis", 1L).output();
        elseBuilder.output(elseOut);
        Graph thenBranch = thenBuilder.build();
        Graph elseBranch = elseBuilder.build();
        Value y = g.node("If").inputs(flag).attr("then_branch", thenBranch).attr("else_branch", elseBranch).output();
        cleanly(g, y, 17);
        assertType("tensor(float)[batch,3]", thenOut);
        assertType("tensor(float)[batch,6]", elseOut);
        assertType("tensor(float)[batch,?]", y);
    }

    @Test
    void aLoopStateThatGrowsIsWidenedInsideTheBodyToo() {
        GraphBuilder g = GraphBuilder.create("g");
        Value initial = floats(g, "s0", "2");
        Value one = g.initializer(Tensor.ofFloats("one", new long[] {1}, 1f));
        Value trips = g.initializer(Tensor.ofLongs("trips", new long[0], 5));
        GraphBuilder body = g.subgraph("body");
        body.input("i", ElementType.INT64);
        Value condIn = body.input("cond_in", ElementType.BOOL);
        Value state = body.input("s", ValueType.tensor(ElementType.FLOAT, Shape.unknownRank()));
        Value grown = body.node("Concat").inputs(state, one).attr("axis", 0L).output("grown");
        Value slice = body.op("ReduceSum", grown);
        body.output(body.op("Identity", condIn));
        body.output(grown);
        body.output(slice);
        List<Value> outputs = g.node("Loop").inputs(trips, null, initial).attr("body", body.build()).outputs(2);
        g.output(outputs.get(0));
        cleanly(g, outputs.get(1), 17);
        // After one pass the state would be [3]: claiming that inside the body would be wrong from the second iteration.
        assertType("tensor(float)[?]", grown);
        assertType("tensor(float)[?]", outputs.get(0));
        // Five iterations of a reduced-to-[1] slice.
        assertType("tensor(float)[5,1]", outputs.get(1));
    }
}
