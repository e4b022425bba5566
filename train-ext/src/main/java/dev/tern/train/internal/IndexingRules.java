package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.List;

/**
 * Element-level indexing: GatherElements, GatherND, ScatterElements and ScatterND. Gathers
 * scatter their gradient back, adding where indices repeat (ScatterElements or ScatterND with
 * reduction "add", opset 16 and later). Scatters without a reduction give the data input the
 * gradient with the overwritten positions zeroed and the updates the gradient gathered at
 * their positions; with reduction "add" the data gradient passes unchanged. Other reductions
 * (mul, max, min) and GatherND with batch_dims are refused.
 */
final class IndexingRules {
    private static final long ADDING_SCATTER_SINCE = 16;

    private IndexingRules() {
    }

    static void register(GradientRules rules) {
        rules.put("GatherElements", GradientRule.forInputs(new int[] {0}, c -> gather(c, "ScatterElements")));
        rules.put("GatherND", GradientRule.forInputs(new int[] {0}, c -> gather(c, "ScatterND")));
        rules.put("ScatterElements", GradientRule.forInputs(new int[] {0, 2}, c -> scatter(c, "GatherElements")));
        rules.put("ScatterND", GradientRule.forInputs(new int[] {0, 2}, c -> scatter(c, "GatherND")));
    }

    private static void gather(RuleContext c, String scatterOp) {
        if (c.intAttribute("batch_dims", 0) != 0) {
            throw c.unsupported("GatherND with batch_dims " + c.intAttribute("batch_dims", 0) + "; only 0 is covered");
        }
        if (c.opset() < ADDING_SCATTER_SINCE) {
            throw c.unsupported(c.node().opType() + " gradient needs " + scatterOp + " with reduction \"add\", from opset "
                    + ADDING_SCATTER_SINCE + "; the model imports ai.onnx " + c.opset());
        }
        Ops ops = c.ops();
        Value data = c.input(0);
        List<Attribute> attributes = scatterOp.equals("ScatterElements")
                ? List.of(axis(c), Attribute.ofString("reduction", "add"))
                : List.of(Attribute.ofString("reduction", "add"));
        c.give(0, ops.op(scatterOp, attributes, ops.zerosLike(data), c.input(1), c.gradient()));
    }

    private static void scatter(RuleContext c, String gatherOp) {
        Ops ops = c.ops();
        String reduction = c.stringAttribute("reduction", "none");
        if (!reduction.equals("none") && !reduction.equals("add")) {
            throw c.unsupported("reduction \"" + reduction + "\"; only \"none\" and \"add\" have a gradient rule");
        }
        List<Attribute> attributes = c.node().opType().equals("ScatterElements") ? List.of(axis(c)) : List.of();
        Value indices = c.input(1);
        if (c.wants(0)) {
            Value kept = reduction.equals("add")
                    ? c.gradient()
                    : ops.op(c.node().opType(), attributes, c.gradient(), indices, ops.zerosLike(c.input(2)));
            c.give(0, kept);
        }
        if (c.wants(2)) {
            c.give(2, ops.op(gatherOp, attributes, c.gradient(), indices));
        }
    }

    private static Attribute axis(RuleContext c) {
        return Attribute.ofInt("axis", c.intAttribute("axis", 0));
    }
}
