package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA provider. Where a GPU is expected ({@link GpuExpectation}: a device, or
 * {@code TERN_EXPECT_CUDA=1}), asking for CUDA must give a session that runs on the GPU and
 * matches the CPU; the "CUDA unavailable" error fails the test there. Elsewhere the error must
 * say what is missing, and the test prints on standard error that only that path was checked.
 * Run it on a GPU machine with {@code mvn -Pcuda -pl executor -am test -Dtest=CudaTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CudaTest {
    private static final int BATCH = 4;

    @RegisterExtension
    final OpenModels models = new OpenModels();

    @TempDir
    Path dir;

    @Test
    void cudaMatchesTheCpuOrSaysWhatIsMissing() throws IOException {
        GpuExpectation gpu = GpuExpectation.ofThisMachine();
        TestModels.Mlp mlp = TestModels.mlp();
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, TestModels.IN},
                TestModels.randoms(new Random(11), BATCH * TestModels.IN)));
        SessionConfig cuda = SessionConfig.builder().cuda(0).profilingFile(dir.resolve("cuda-profile")).build();
        CompiledModel onGpu;
        try {
            onGpu = models.runtime().compile(mlp.model(), cuda);
        } catch (ProviderUnavailableException e) {
            if (gpu.expected()) {
                fail("CUDA must run here (" + gpu.reason() + "), but: " + e.getMessage() + ". Build with -Pcuda and put"
                        + " the CUDA 12, cuBLAS and cuDNN 9 libraries on the library path, or set "
                        + GpuExpectation.VARIABLE + "=0 to check only the error path.", e);
            }
            assertSaysWhatIsMissing(e);
            System.err.println("*** CUDA NOT TESTED: " + gpu.reason() + "; only the error path was checked (set "
                    + GpuExpectation.VARIABLE + "=1 to require CUDA) ***");
            return;
        }
        try (onGpu) {
            float[] gpuResult = onGpu.run(feeds).get("y").toFloatArray();
            assertRanOnCuda(onGpu.endProfiling().orElseThrow());
            float[] cpuResult;
            try (CompiledModel onCpu = models.runtime().compile(mlp.model())) {
                cpuResult = onCpu.run(feeds).get("y").toFloatArray();
            }
            assertEquals(cpuResult.length, gpuResult.length);
            for (int i = 0; i < cpuResult.length; i++) {
                // cuBLAS may round products to TF32 (10-bit mantissa): about 1e-3 relative, far below a real error.
                assertEquals(cpuResult[i], gpuResult[i], 1e-3 + 1e-2 * Math.abs(cpuResult[i]), "element " + i);
            }
        }
    }

    @Test
    void cudaWithFallbackRunsOnTheCpu() {
        SessionConfig config = SessionConfig.builder().cuda(0).cpuFallback(true).build();
        Tensor a = Tensor.ofFloats("a", new long[] {1, 3}, 1, 2, 3);
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs(), config)) {
            assertArrayEquals(new float[] {2, 4, 6}, model.run(Map.of("a", a, "b", a)).get("sum").toFloatArray());
        }
    }

    /** The CPU build lacks the provider; the GPU build (-Pcuda) has it but no usable libraries or device. */
    private static void assertSaysWhatIsMissing(ProviderUnavailableException e) {
        String cause = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
                ? "could not start CUDA device 0" : "onnxruntime_gpu";
        assertTrue(e.getMessage().contains("'mlp'") && e.getMessage().contains(cause)
                && e.getMessage().contains("cpuFallback"), e.getMessage());
    }

    /** ONNX Runtime's profile names the provider of every node it ran; a session on the GPU runs its MatMuls there. */
    private static void assertRanOnCuda(Path profile) throws IOException {
        String trace = Files.readString(profile);
        assertTrue(trace.contains("\"provider\" : \"CUDAExecutionProvider\""),
                "CUDA session ran no node on CUDAExecutionProvider; profile " + profile);
    }
}
