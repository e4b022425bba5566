package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs that write chosen outputs into caller-owned tensors: state carried from run to run. */
class RunIntoTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    /** next = state + x and sum = ReduceSum(next): a counter whose state the caller keeps. */
    private static Model accumulator() {
        GraphBuilder g = GraphBuilder.create("accumulator");
        Value state = g.input("state", ElementType.FLOAT, Dim.of(3));
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value next = g.op("Add", state, x);
        g.output(next, "next");
        g.output(g.op("ReduceSum", next), "sum");
        return g.toModel(21);
    }

    @Test
    void twoStateSetsSwapRolesWithoutAllocatingTheState() {
        try (CompiledModel model = models.runtime().compile(accumulator());
             NativeTensor x = NativeTensor.wrap(Tensor.ofFloats("x", new long[] {3}, 1, 2, 3));
             NativeTensor first = NativeTensor.copyOf(Tensor.ofFloats("a", new long[] {3}, 0, 0, 0));
             NativeTensor second = NativeTensor.copyOf(Tensor.zeros("b", ElementType.FLOAT, 3))) {
            NativeTensor current = first;
            NativeTensor next = second;
            for (int run = 1; run <= 3; run++) {
                try (Outputs outputs = model.runNative(Map.of("state", current, "x", x), Map.of("next", next))) {
                    assertEquals(6f * run, outputs.tensor("sum").buffer().getFloat(0));
                }
                NativeTensor swap = current;
                current = next;
                next = swap;
            }
            assertArrayEquals(new float[] {3, 6, 9}, current.toTensor("state").toFloatArray());
            assertFalse(current.isClosed(), "closing the outputs leaves the caller's tensors open");
        }
    }

    @Test
    void refusesTensorsRunsMayNotWrite() {
        try (CompiledModel model = models.runtime().compile(accumulator());
             NativeTensor x = NativeTensor.wrap(Tensor.ofFloats("x", new long[] {3}, 1, 2, 3));
             NativeTensor wrapped = NativeTensor.wrap(Tensor.zeros("w", ElementType.FLOAT, 3))) {
            assertFalse(wrapped.isWritable(), "a wrapped Tern tensor is immutable");
            InvalidInputException readOnly = assertThrows(InvalidInputException.class,
                    () -> model.runNative(Map.of("state", x, "x", x), Map.of("next", wrapped)));
            assertTrue(readOnly.getMessage().contains("NativeTensor.copyOf"), readOnly.getMessage());
            InvalidInputException unknown = assertThrows(InvalidInputException.class,
                    () -> model.runNative(Map.of("state", x, "x", x), Map.of("nxt", wrapped)));
            assertTrue(unknown.getMessage().contains("unknown output name 'nxt'"), unknown.getMessage());
        }
    }

    @Test
    void aRunWritingIntoNothingReturnsEveryOutput() {
        try (CompiledModel model = models.runtime().compile(accumulator());
             NativeTensor state = NativeTensor.copyOf(Tensor.ofFloats("state", new long[] {3}, 1, 2, 3));
             NativeTensor x = NativeTensor.wrap(Tensor.ofFloats("x", new long[] {3}, 1, 1, 1));
             NativeTensor next = NativeTensor.copyOf(Tensor.zeros("next", ElementType.FLOAT, 3))) {
            Map<String, NativeTensor> feed = Map.of("state", state, "x", x);
            try (Outputs outputs = model.runNative(feed, Map.of())) {
                assertEquals(9f, outputs.tensor("sum").buffer().getFloat(0));
                assertArrayEquals(new float[] {2, 3, 4}, outputs.tensor("next").toTensor("next").toFloatArray());
            }
            try (Outputs outputs = model.runNative(feed, Map.of("next", next))) {
                assertEquals(9f, outputs.tensor("sum").buffer().getFloat(0));
            }
            try (Outputs outputs = model.runNative(feed, Map.of())) {
                assertArrayEquals(new float[] {2, 3, 4}, outputs.tensor("next").toTensor("next").toFloatArray());
            }
        }
    }

    @Test
    void fillChangesAnInputBetweenRunsInPlace() {
        try (CompiledModel model = models.runtime().compile(accumulator());
             NativeTensor state = NativeTensor.copyOf(Tensor.ofFloats("state", new long[] {3}, 1, 2, 3));
             NativeTensor x = NativeTensor.copyOf(Tensor.zeros("x", ElementType.FLOAT, 3))) {
            for (double step : new double[] {0.5, 2}) {
                x.fill(step);
                try (Outputs outputs = model.runNative(Map.of("state", state, "x", x))) {
                    assertEquals(6 + 3 * step, outputs.tensor("sum").buffer().getFloat(0), 1e-6);
                }
            }
        }
        try (NativeTensor steps = NativeTensor.copyOf(Tensor.ofLongs("step", new long[0], 1));
             NativeTensor wrapped = NativeTensor.wrap(Tensor.zeros("w", ElementType.FLOAT, 3));
             NativeTensor flags = NativeTensor.copyOf(Tensor.zeros("b", ElementType.BOOL, 2))) {
            steps.fill(41);
            assertEquals(41L, steps.buffer().getLong(0));
            ExecException readOnly = assertThrows(ExecException.class, () -> wrapped.fill(1));
            assertTrue(readOnly.getMessage().contains("NativeTensor.copyOf"), readOnly.getMessage());
            ExecException bool = assertThrows(ExecException.class, () -> flags.fill(1));
            assertTrue(bool.getMessage().contains("BOOL"), bool.getMessage());
        }
    }
}
