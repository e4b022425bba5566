package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern sample} on a VAE's decoder, written by {@code tern finetune --task vae
 * --decoder-out} after a short training on the digits: a PNG grid of the right size, whose
 * images differ, the same for the same seed.
 */
class SampleCommandTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();
    private static final int ZOOM = 3;
    /** An 8x8 image at zoom 3 and the 2-pixel gap after it. */
    private static final int CELL = 8 * ZOOM + 2;

    @TempDir
    static Path trained;

    @TempDir
    Path temporary;

    private static Path decoder;

    @BeforeAll
    static void trainVae() {
        Path vae = trained.resolve("vae.onnx");
        decoder = trained.resolve("decoder.onnx");
        CliRun init = CliRun.of("init-model", "vae", "--inputs", "64", "--hidden", "32", "--latent", "4", "--seed", "1",
                "--out", vae.toString());
        assertEquals(0, init.exitCode(), init::toString);
        CliRun finetune = CliRun.of("finetune", vae.toString(), "--train", DIGITS, "--scale", "16", "--epochs", "3",
                "--lr", "3e-3", "--threads", "1", "--out", trained.resolve("tuned.onnx").toString(),
                "--decoder-out", decoder.toString());
        assertEquals(0, finetune.exitCode(), finetune::toString);
    }

    private CliRun sample(String file, String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "sample";
        args[1] = decoder.toString();
        args[2] = "--out";
        args[3] = temporary.resolve(file).toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return CliRun.of(args);
    }

    @Test
    void drawsAGridOfDistinctSamplesTheSameForTheSameSeed() throws IOException {
        CliRun run = sample("grid.png", "--count", "12", "--columns", "4", "--zoom", String.valueOf(ZOOM), "--seed", "7");
        CliRun again = sample("again.png", "--count", "12", "--columns", "4", "--zoom", String.valueOf(ZOOM), "--seed", "7");
        CliRun other = sample("other.png", "--count", "12", "--columns", "4", "--zoom", String.valueOf(ZOOM), "--seed", "8");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("12 samples of 8x8, 106x80 pixels"), run::toString);
        BufferedImage grid = ImageIO.read(temporary.resolve("grid.png").toFile());
        assertEquals(4 * CELL + 2, grid.getWidth());
        assertEquals(3 * CELL + 2, grid.getHeight());
        Set<String> images = new HashSet<>();
        for (int index = 0; index < 12; index++) {
            images.add(Arrays.toString(cell(grid, index % 4, index / 4)));
        }
        assertEquals(12, images.size(), "every sample differs from the others");
        assertArrayEquals(Files.readAllBytes(temporary.resolve("grid.png")), Files.readAllBytes(temporary.resolve("again.png")));
        assertFalse(Arrays.equals(Files.readAllBytes(temporary.resolve("grid.png")),
                Files.readAllBytes(temporary.resolve("other.png"))), "another seed, other samples");
        assertEquals(0, other.exitCode(), other::toString);
    }

    @Test
    void anImageShapeThatDoesNotFitTheOutputIsAUsageError() {
        CliRun run = sample("bad.png", "--image-shape", "7x7");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("gave 4096 values for 64 samples, not 49 per image"), run::toString);
        assertFalse(Files.exists(temporary.resolve("bad.png")));
    }

    /** The grey levels of the image at grid column {@code column} and row {@code row}, one per value. */
    private static int[] cell(BufferedImage grid, int column, int row) {
        int[] levels = new int[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                levels[y * 8 + x] = grid.getRGB(2 + column * CELL + x * ZOOM, 2 + row * CELL + y * ZOOM) & 0xff;
            }
        }
        return levels;
    }
}
