package dev.tern.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this machine must run the CUDA path, and why. {@code TERN_EXPECT_CUDA=1} requires it
 * and {@code TERN_EXPECT_CUDA=0} waives it; unset, a GPU decides: {@code /dev/nvidia0} exists
 * or {@code nvidia-smi -L} lists one. Where CUDA is expected, a CUDA test must run on the GPU
 * and may not settle for the "CUDA unavailable" error.
 */
record GpuExpectation(boolean expected, String reason) {
    static final String VARIABLE = "TERN_EXPECT_CUDA";
    private static final Path DEVICE = Path.of("/dev/nvidia0");

    /** The expectation for the machine the tests run on. */
    static GpuExpectation ofThisMachine() {
        return decide(System.getenv(VARIABLE), () -> Files.exists(DEVICE), GpuExpectation::nvidiaSmiGpus);
    }

    /**
     * The expectation from the variable's {@code setting} (null when unset), asking for the device
     * node and nvidia-smi's GPU list only when the setting leaves the question open.
     *
     * @throws IllegalArgumentException if the setting is neither 1 nor 0
     */
    static GpuExpectation decide(String setting, BooleanSupplier deviceNodeExists, Supplier<List<String>> listedGpus) {
        if (setting != null && !setting.isBlank()) {
            return switch (setting.strip()) {
                case "1" -> new GpuExpectation(true, VARIABLE + "=1 requires it");
                case "0" -> new GpuExpectation(false, VARIABLE + "=0 waives it");
                default -> throw new IllegalArgumentException(VARIABLE + " must be 1 (require CUDA) or 0 (waive it),"
                        + " found '" + setting + "'");
            };
        }
        if (deviceNodeExists.getAsBoolean()) {
            return new GpuExpectation(true, DEVICE + " exists");
        }
        List<String> gpus = listedGpus.get();
        if (!gpus.isEmpty()) {
            return new GpuExpectation(true, "nvidia-smi -L lists " + gpus.get(0));
        }
        return new GpuExpectation(false, "no GPU on this machine");
    }

    /** The "GPU 0: ..." lines of {@code nvidia-smi -L}; none where it is missing, fails or hangs. */
    private static List<String> nvidiaSmiGpus() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            try (InputStream out = process.getInputStream()) {
                // The listing is a few lines; reading it before waiting keeps a full pipe from blocking the tool.
                String listing = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return List.of();
                }
                return listing.lines().filter(line -> line.startsWith("GPU ")).toList();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
