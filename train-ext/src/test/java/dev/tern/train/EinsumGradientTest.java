package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.ir.ElementType.FLOAT;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference checks of Einsum: products, batched attention scores, the implicit form, sums within one operand, three operands. */
class EinsumGradientTest extends RuntimeExtension {
    private static OpCase einsum(String equation) {
        return OpCase.of("Einsum").attr(Attribute.ofString("equation", equation));
    }

    @Test
    void matrixProduct() {
        einsum("ij,jk->ik").input(FLOAT, 2, 3).input(FLOAT, 3, 4).check(runtime);
    }

    @Test
    void batchedAttentionScores() {
        einsum("bhqd,bhkd->bhqk").input(FLOAT, 1, 2, 3, 4).input(FLOAT, 1, 2, 2, 4).check(runtime);
    }

    @Test
    void implicitOutputIsTheSortedSingleSubscripts() {
        einsum("ij,jk").input(FLOAT, 2, 3).input(FLOAT, 3, 4).check(runtime);
    }

    /** j is summed within the first operand alone, so its gradient is broadcast along j. */
    @Test
    void subscriptSummedWithinOneOperand() {
        einsum("ij,k->ik").input(FLOAT, 2, 3).input(FLOAT, 4).check(runtime);
        einsum("ij->").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void transposeAndThreeOperands() {
        einsum("ij->ji").input(FLOAT, 2, 3).check(runtime);
        einsum("i,ij,j->i").input(FLOAT, 2).input(FLOAT, 2, 3).input(FLOAT, 3).check(runtime);
    }

    @Test
    void ellipsisIsRefusedByName() {
        GraphBuilder g = GraphBuilder.create("ellipsis");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2), Dim.of(3));
        Value y = g.node("Einsum").name("e").inputs(x).attr("equation", "...i->...").output();
        y.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of(2))));
        g.output(g.op("ReduceSum", y), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("x")));
        assertTrue(error.getMessage().startsWith("gradient of node 'e' (Einsum): Einsum with an ellipsis"),
                error.getMessage());
    }
}
