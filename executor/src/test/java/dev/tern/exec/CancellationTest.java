package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deadlines and cancellation stop a long run between operators; the model stays usable. The
 * long run is 400 layers of [512, 512] MatMul on a [512, 512] input, several seconds on any
 * CPU, so a stop after 100 ms is unambiguous; the check run uses one row, which is quick.
 */
class CancellationTest {
    private static final int LAYERS = 400;

    @RegisterExtension
    final OpenModels models = new OpenModels();

    private CompiledModel model;

    @BeforeEach
    void compile() {
        model = models.runtime().compile(TestModels.slowChain(LAYERS));
    }

    @AfterEach
    void close() {
        model.close();
    }

    private static Map<String, Tensor> rows(int rows) {
        return Map.of("x", Tensor.ofFloats("x", new long[] {rows, 512}, TestModels.randoms(new Random(rows), rows * 512)));
    }

    /** The model still computes y = x after whatever the test did. */
    private void assertStillUsable() {
        Map<String, Tensor> one = rows(1);
        assertArrayEquals(one.get("x").toFloatArray(), model.run(one).get("y").toFloatArray(), 1e-5f);
    }

    @Test
    void deadlineStopsTheRun() {
        RunCancelledException e = assertThrows(RunCancelledException.class,
                () -> model.run(rows(512), RunControl.timeout(Duration.ofMillis(100))));
        assertTrue(e.deadlineExceeded());
        assertTrue(e.getMessage().contains("'slow_chain'") && e.getMessage().contains("deadline of 100 ms"),
                e.getMessage());
        assertStillUsable();
    }

    @Test
    void tokenCancelsFromAnotherThread() throws Exception {
        CancellationToken token = new CancellationToken();
        CompletableFuture<Map<String, Tensor>> run = CompletableFuture.supplyAsync(
                () -> model.run(rows(512), RunControl.cancelledBy(token)));
        Thread.sleep(100);
        token.cancel();
        Throwable thrown = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> run.get(30, TimeUnit.SECONDS)).getCause();
        assertTrue(thrown instanceof RunCancelledException, String.valueOf(thrown));
        assertFalse(((RunCancelledException) thrown).deadlineExceeded());
        assertStillUsable();
    }

    @Test
    void cancelledTokenFailsAtOnce() {
        CancellationToken token = new CancellationToken();
        token.cancel();
        RunCancelledException e = assertThrows(RunCancelledException.class,
                () -> model.run(rows(1), RunControl.cancelledBy(token)));
        assertTrue(e.getMessage().contains("before it started"), e.getMessage());
        assertStillUsable();
    }

    @Test
    void generousDeadlineLetsTheRunFinish() {
        Map<String, Tensor> one = rows(1);
        Tensor y = model.run(one, RunControl.timeout(Duration.ofMinutes(1)).withToken(new CancellationToken())).get("y");
        assertArrayEquals(one.get("x").toFloatArray(), y.toFloatArray(), 1e-5f);
    }
}
