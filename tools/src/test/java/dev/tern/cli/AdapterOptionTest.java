package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Model;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern run --adapter} and {@code tern bench --adapter} on the affine model made ready for adapters. */
class AdapterOptionTest {
    /**
     * A rank-1 adapter for the affine model's weight w[3, 2], read by the node GraphBuilder
     * named MatMul_0: A B = [1, 0, -1]ᵀ [2, 3].
     */
    private static final float[] A = {1, 0, -1};
    private static final float[] B = {2, 3};

    @TempDir
    Path temp;
    private Path base;
    private Path adapter;

    @BeforeEach
    void writeBaseAndAdapter() throws IOException {
        Model model = TestModels.affine();
        LoraInsertion.forAdapters(LoraTargets.inScopes(List.of("w"))).insert(model);
        base = TestModels.write(model, temp.resolve("affine-base.onnx"));
        adapter = temp.resolve("shift.onnx_adapter");
        AdapterFile.of(List.of(Tensor.ofFloats("MatMul_0.lora_A", new long[] {3, 1}, A),
                Tensor.ofFloats("MatMul_0.lora_B", new long[] {1, 2}, B))).write(adapter);
    }

    @Test
    void runAppliesTheAdapter() throws IOException {
        float[] x = {0.25f, 1, -2, 3, 0.5f, 0.75f};
        NpyFormat.write(Tensor.ofFloats("x", new long[] {2, 3}, x), temp.resolve("x.npy"));
        NpyFormat.write(Tensor.ofLongs("ids", new long[] {2}, 7, -1), temp.resolve("ids.npy"));
        Path plain = temp.resolve("plain");
        Path adapted = temp.resolve("adapted");

        CliRun without = CliRun.of("run", base.toString(), "--input", "x=" + temp.resolve("x.npy"),
                "--input", "ids=" + temp.resolve("ids.npy"), "--output-dir", plain.toString());
        CliRun with = CliRun.of("run", base.toString(), "--input", "x=" + temp.resolve("x.npy"),
                "--input", "ids=" + temp.resolve("ids.npy"), "--adapter", adapter.toString(),
                "--output-dir", adapted.toString());

        assertEquals(0, without.exitCode(), without::toString);
        assertEquals(0, with.exitCode(), with::toString);
        assertEquals("adapter     " + adapter, with.outLines().get(0));
        float[] expected = NpyFormat.read(plain.resolve("y.npy")).toFloatArray();
        for (int row = 0; row < 2; row++) {
            // x A is one number per row; the adapter adds it times B.
            float down = x[row * 3] * A[0] + x[row * 3 + 1] * A[1] + x[row * 3 + 2] * A[2];
            expected[row * 2] += down * B[0];
            expected[row * 2 + 1] += down * B[1];
        }
        assertArrayEquals(expected, NpyFormat.read(adapted.resolve("y.npy")).toFloatArray(), 1e-6f);
    }

    @Test
    void benchRunsWithTheAdapterAndSaysSo() {
        CliRun run = CliRun.of("bench", base.toString(), "--adapter", adapter.toString(), "--batch", "2",
                "--duration", "0.3", "--warmup", "0", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals(adapter.toString(), json.get("adapter"));
        assertTrue((Long) json.get("count") > 0, run::toString);
    }

    @Test
    void aMissingOrBrokenAdapterFileIsOneLineNamingIt() throws IOException {
        Path missing = temp.resolve("missing.onnx_adapter");
        CliRun absent = CliRun.of("run", base.toString(), "--adapter", missing.toString());
        assertEquals(2, absent.exitCode(), absent::toString);
        assertEquals(List.of("tern: --adapter: " + missing + ": no such file"), absent.errLines());

        Path broken = Files.writeString(temp.resolve("broken.onnx_adapter"), "not an adapter at all");
        CliRun refused = CliRun.of("bench", base.toString(), "--adapter", broken.toString(), "--duration", "0.1");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals(List.of("tern: " + broken + ": not an ONNX Runtime adapter file: expected the identifier"
                + " 'TORT' at byte 4"), refused.errLines());
    }
}
