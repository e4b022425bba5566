package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Adapters loaded once by the runtime and chosen per run. */
class AdapterRunTest {
    private static final int BATCH = 5;

    @RegisterExtension
    final OpenModels models = new OpenModels();

    @TempDir
    Path folder;

    private final float[] w = TestModels.randoms(new Random(11), AdapterModels.IN * AdapterModels.OUT);
    private final float[] x = TestModels.randoms(new Random(12), BATCH * AdapterModels.IN);

    private Map<String, Tensor> inputs() {
        return Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, AdapterModels.IN}, x));
    }

    private Path write(AdapterFile adapter, String name) {
        Path file = folder.resolve(name + Adapter.ADAPTER_EXTENSION);
        adapter.write(file);
        return file;
    }

    @Test
    void eachRunAppliesTheAdapterItNamesOrNone() {
        AdapterFile rank2 = AdapterModels.adapter(2, 1);
        AdapterFile rank6 = AdapterModels.adapter(6, 2);
        try (CompiledModel model = models.runtime().compile(AdapterModels.base(w));
             Adapter first = models.runtime().loadAdapter(write(rank2, "first"));
             Adapter second = models.runtime().loadAdapter(write(rank6, "second"))) {
            assertEquals(List.of("x"), model.inputs().stream().map(IoSpec::name).toList(),
                    "the adapter parameters are optional inputs, not ones a run must feed");
            for (int round = 0; round < 2; round++) {
                assertArrayEquals(AdapterModels.reference(x, BATCH, w, rank2),
                        model.run(inputs(), RunControl.adapter(first)).get("y").toFloatArray(), 1e-5f);
                assertArrayEquals(AdapterModels.reference(x, BATCH, w, null),
                        model.run(inputs()).get("y").toFloatArray(), 1e-5f);
                assertArrayEquals(AdapterModels.reference(x, BATCH, w, rank6),
                        model.run(inputs(), RunControl.adapter(second)).get("y").toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void aModelOpenedFromItsFileTakesAdaptersToo() throws java.io.IOException {
        AdapterFile tuned = AdapterModels.adapter(1, 6);
        Path modelFile = folder.resolve("base.onnx");
        dev.tern.onnx.OnnxExporter.write(AdapterModels.base(w), modelFile);
        try (CompiledModel model = models.runtime().open(modelFile);
             Adapter adapter = models.runtime().loadAdapter(write(tuned, "tuned"))) {
            assertArrayEquals(AdapterModels.reference(x, BATCH, w, tuned),
                    model.run(inputs(), RunControl.adapter(adapter)).get("y").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void oneAdapterServesSeveralModelsAndKeepsItsLimits() {
        AdapterFile tuned = AdapterModels.adapter(3, 4);
        float[] expected = AdapterModels.reference(x, BATCH, w, tuned);
        try (CompiledModel one = models.runtime().compile(AdapterModels.base(w));
             CompiledModel other = models.runtime().compile(AdapterModels.base(w));
             Adapter adapter = models.runtime().loadAdapter(write(tuned, "tuned"))) {
            RunControl control = RunControl.timeout(java.time.Duration.ofMinutes(1)).withAdapter(adapter);
            assertArrayEquals(expected, one.run(inputs(), control).get("y").toFloatArray(), 1e-5f);
            assertArrayEquals(expected, other.run(inputs(), control).get("y").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void adapterDescribesItselfAndRefusesRunsOnceClosed() {
        try (CompiledModel model = models.runtime().compile(AdapterModels.base(w))) {
            Adapter adapter = models.runtime().loadAdapter(write(AdapterModels.adapter(2, 3), "news"));
            assertEquals("news", adapter.name());
            assertEquals(List.of(AdapterModels.A, AdapterModels.B),
                    adapter.parameters().stream().map(IoSpec::name).toList());
            assertEquals(1, models.runtime().openAdapters());
            adapter.close();
            adapter.close();
            assertEquals(0, models.runtime().openAdapters());
            ClosedException e = assertThrows(ClosedException.class,
                    () -> model.run(inputs(), RunControl.adapter(adapter)));
            assertTrue(e.getMessage().contains("adapter 'news'"), e.getMessage());
        }
    }

    @Test
    void closingTheRuntimeClosesItsAdapters() {
        Adapter adapter;
        try (Runtime runtime = Runtime.create()) {
            adapter = runtime.loadAdapter(write(AdapterModels.adapter(2, 3), "kept"));
        }
        assertTrue(adapter.isClosed());
    }

    @Test
    void anAdapterForOtherInputsFailsTheRunNamingTheModel() {
        AdapterFile foreign = AdapterFile.of(List.of(Tensor.ofFloats("not_an_input", new long[] {1}, 1)));
        try (CompiledModel model = models.runtime().compile(AdapterModels.base(w));
             Adapter adapter = models.runtime().loadAdapter(write(foreign, "foreign"))) {
            ExecException e = assertThrows(ExecException.class, () -> model.run(inputs(), RunControl.adapter(adapter)));
            assertTrue(e.getMessage().contains("not_an_input"), e.getMessage());
            assertTrue(e.getMessage().contains("lora_base"), e.getMessage());
        }
    }
}
