package dev.tern.exec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a {@link RunState} keeps between runs, and that closing releases all of it. */
class RunStateTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private static RunState state() {
        return new RunState(ENV, "m", new String[] {"x"}, new String[] {"y"}, new ElementType[] {ElementType.FLOAT});
    }

    private static long[][] dims(Tensor tensor) {
        return new long[][] {tensor.dims()};
    }

    @Test
    void wrapperIsKeptForTheSameDirectTensorAndReplacedForAnother() throws Exception {
        Tensor a = Tensor.ofFloats("x", new long[] {2}, 1, 2);
        Tensor b = Tensor.ofFloats("x", new long[] {2}, 3, 4);
        try (RunState state = state()) {
            OnnxTensor first = state.feed(new Tensor[] {a}, dims(a)).get("x");
            state.endRun();
            assertSame(first, state.feed(new Tensor[] {a}, dims(a)).get("x"));
            state.endRun();
            OnnxTensor other = state.feed(new Tensor[] {b}, dims(b)).get("x");
            state.endRun();
            assertNotSame(first, other);
            assertTrue(first.isClosed(), "the replaced wrapper is released at once");
            assertFalse(other.isClosed());
        }
    }

    @Test
    void heapTensorsAreWrappedForOneRunOnly() throws Exception {
        Tensor heap = Tensor.of("x", ElementType.FLOAT, new long[] {2}, ByteBuffer.allocate(8));
        try (RunState state = state()) {
            OnnxTensor wrapper = state.feed(new Tensor[] {heap}, dims(heap)).get("x");
            state.endRun();
            assertTrue(wrapper.isClosed(), "a copied input must not be reused: its source may change");
            assertTrue(state.isEmpty());
        }
    }

    @Test
    void outputsArePinnedOnceTheirShapesAreLearnedAndKeptPerInputShape() throws Exception {
        Tensor small = Tensor.ofFloats("x", new long[] {2}, 1, 2);
        Tensor large = Tensor.ofFloats("x", new long[] {3}, 1, 2, 3);
        try (RunState state = state()) {
            state.feed(new Tensor[] {small}, dims(small));
            assertNull(state.pinnedOutputs(), "nothing is pinned before a shape is learned");
            state.learnShapes(new long[][] {{2}});
            OnnxTensor forSmall = state.pinnedOutputs().get("y");
            assertArrayEquals(new long[] {2}, forSmall.getInfo().getShape());
            state.endRun();

            state.feed(new Tensor[] {large}, dims(large));
            assertNull(state.pinnedOutputs(), "shapes not learned for these inputs");
            assertFalse(forSmall.isClosed(), "the other input shapes keep their outputs");
            state.learnShapes(new long[][] {{3}});
            OnnxTensor forLarge = state.pinnedOutputs().get("y");
            assertArrayEquals(new long[] {3}, forLarge.getInfo().getShape());
            state.endRun();

            Tensor smallAgain = Tensor.ofFloats("x", new long[] {2}, 5, 6);
            state.feed(new Tensor[] {smallAgain}, dims(smallAgain));
            assertSame(forSmall, state.pinnedOutputs().get("y"), "a batch size seen before writes into its kept outputs");
            state.endRun();
        }
    }

    @Test
    void keptOutputsOfOtherShapesAreBoundedInCountAndReleasedLeastRecentlyUsedFirst() throws Exception {
        try (RunState state = state()) {
            List<OnnxTensor> pinned = new ArrayList<>();
            for (int rows = 1; rows <= OutputPins.MAX_SHAPES + 2; rows++) {
                Tensor x = Tensor.ofFloats("x", new long[] {rows}, new float[rows]);
                state.feed(new Tensor[] {x}, dims(x));
                state.learnShapes(new long[][] {{rows}});
                pinned.add(state.pinnedOutputs().get("y"));
                state.endRun();
            }
            assertTrue(pinned.get(0).isClosed() && pinned.get(1).isClosed(), "the two least recently used go");
            assertTrue(pinned.subList(2, pinned.size()).stream().noneMatch(OnnxTensor::isClosed));
        }
    }

    @Test
    void keptOutputsOfOtherShapesAreBoundedInBytesButTheShapeInUseIsAlwaysPinned() throws Exception {
        int floatsBeyondBound = (int) (OutputPins.RETAINED_BYTES / Float.BYTES) + 1;
        try (RunState state = state()) {
            Tensor huge = Tensor.ofFloats("x", new long[] {1}, 1);
            state.feed(new Tensor[] {huge}, dims(huge));
            state.learnShapes(new long[][] {{floatsBeyondBound}});
            OnnxTensor inUse = state.pinnedOutputs().get("y");
            state.endRun();
            Tensor next = Tensor.ofFloats("x", new long[] {2}, 1, 2);
            state.feed(new Tensor[] {next}, dims(next));
            state.learnShapes(new long[][] {{2}});
            assertNotNull(state.pinnedOutputs());
            assertTrue(inUse.isClosed(), "outputs over the byte bound go once other shapes are in use");
            state.endRun();
        }
    }

    @Test
    void closingReleasesEveryNativeTensorAndIsIdempotent() throws Exception {
        Tensor a = Tensor.ofFloats("x", new long[] {2}, 1, 2);
        RunState state = state();
        OnnxTensor input = state.feed(new Tensor[] {a}, dims(a)).get("x");
        state.learnShapes(new long[][] {{2}});
        OnnxTensor output = state.pinnedOutputs().get("y");
        state.endRun();
        state.close();
        state.close();
        assertTrue(input.isClosed());
        assertTrue(output.isClosed());
        assertTrue(state.isEmpty());
    }

    @Test
    void smallCopiesAreDisjointDirectBuffers() {
        try (RunState state = state()) {
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < 3 * RunState.BLOCK_BYTES / 40; i++) {
                ByteBuffer buffer = state.newBuffer(40);
                assertTrue(buffer.isDirect());
                assertEquals(40, buffer.remaining());
                for (int j = 0; j < 40; j++) {
                    buffer.put(j, (byte) i);
                }
                buffers.add(buffer);
            }
            for (int i = 0; i < buffers.size(); i++) {
                for (int j = 0; j < 40; j++) {
                    assertEquals((byte) i, buffers.get(i).get(j), "buffer " + i + " was overwritten");
                }
            }
            assertEquals(RunState.MAX_CARVED_BYTES + 1, state.newBuffer(RunState.MAX_CARVED_BYTES + 1).capacity());
        }
    }

    @Test
    void poolKeepsAtMostItsSizeAndClosesTheRest() {
        List<RunState> made = new ArrayList<>();
        RunStatePool pool = new RunStatePool(2, () -> {
            RunState state = state();
            made.add(state);
            return state;
        });
        RunState first = pool.claim();
        RunState second = pool.claim();
        RunState third = pool.claim();
        assertEquals(3, made.size(), "runs in flight beyond the slots get states of their own");
        pool.giveBack(first);
        pool.giveBack(second);
        pool.giveBack(third);
        assertEquals(2, pool.held());
        assertTrue(third.isClosed(), "a state with no free slot is closed");
        RunState again = pool.claim();
        assertTrue(again == first || again == second, "a claimed state is reused");
        pool.giveBack(again);
        pool.close();
        assertEquals(0, pool.held());
        assertTrue(first.isClosed() && second.isClosed(), "closing the pool closes its states");
    }
}
