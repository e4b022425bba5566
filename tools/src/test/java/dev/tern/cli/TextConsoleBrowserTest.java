package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.server.DevToolsPage;
import dev.tern.server.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's text box in headless Chromium against {@code tern serve} with MiniLM: the
 * model's page offers the text box, a typed sentence runs and shows MiniLM's outputs with the
 * first vector's norm, equal to tokenizing and running the model in Java; a text too long for
 * the model shows the server's refusal. Leaves a screenshot at
 * {@code target/console-text-screenshot.png}.
 */
class TextConsoleBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "console-text-screenshot.png");
    private static final String SENTENCE = "Tern serves this sentence to MiniLM from the browser.";
    private static final String OUTPUT = "last_hidden_state";
    private static final int HIDDEN_SIZE = 384;

    @TempDir
    Path repository;

    @Test
    void aSentenceTypedInTheTextBoxRunsOnMiniLm() throws Exception {
        Path version = MiniLmRepository.write(repository, "minilm");
        Tensor expected = MiniLmRepository.tokenizeAndRun(version, List.of(SENTENCE)).get(OUTPUT);
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString());
             HeadlessChromium chromium = HeadlessChromium.start(1280, 1000);
             DevToolsPage page = chromium.openPage()) {
            page.navigate(serve.uri("/").toString());
            page.waitFor("minilm to be listed READY",
                    "document.querySelector('#models tr[data-model=\"minilm\"] .state-READY')");
            page.click("#models tr[data-model=\"minilm\"] .model-link");
            page.waitFor("the text box for minilm", "!document.getElementById('text-input').hidden");
            assertTrue(page.text("#text-hint").contains("at most " + MiniLmRepository.MAX_TOKENS + " tokens"),
                    page.text("#text-hint"));

            page.type("#text", SENTENCE);
            page.click("#run");
            page.waitFor("minilm's outputs", "document.querySelector('#result tr[data-output=\"" + OUTPUT + "\"]')");
            String row = "#result tr[data-output=\"" + OUTPUT + "\"]";
            assertEquals(Arrays.toString(expected.dims()).replace(" ", ""), page.text(row + " td:nth-child(3)"));
            double[] shown = Arrays.stream(page.text(row + " .values").replace(", ...", "").split(","))
                    .map(String::trim).mapToDouble(Double::parseDouble).toArray();
            float[] values = expected.toFloatArray();
            assertArrayEquals(toDoubles(Arrays.copyOf(values, shown.length)), shown, 1e-5);
            double norm = page.evaluate("Number(document.querySelector('" + row.replace("'", "\\'")
                    + " .norm').dataset.norm)").asDouble();
            assertEquals(norm(Arrays.copyOf(values, HIDDEN_SIZE)), norm, 1e-4);
            assertTrue(page.text(row + " .norm").startsWith("first vector (" + HIDDEN_SIZE + " values"),
                    page.text(row + " .norm"));

            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, page.screenshot());
            BufferedImage shot = ImageIO.read(SCREENSHOT.toFile());
            assertNotNull(shot, "the screenshot is a PNG");
            int viewport = page.evaluate("window.innerWidth").asInt();
            assertTrue(shot.getWidth() <= viewport && shot.getWidth() >= viewport - 20,
                    "the screenshot is " + shot.getWidth() + " pixels wide, the viewport " + viewport);

            page.type("#text", "word ".repeat(MiniLmRepository.MAX_TOKENS));
            page.click("#run");
            page.waitFor("the refusal of a text too long", "document.getElementById('run-status').textContent"
                    + ".includes('HTTP 400')");
            assertTrue(page.text("#run-status").contains("model 'minilm' version 1: text 0 has more than "
                    + MiniLmRepository.MAX_TOKENS + " tokens"), page.text("#run-status"));
            assertEquals(List.of(), page.problems().stream().filter(problem -> !problem.contains("status of 400"))
                    .toList(), "only the text too long may fail");
        }
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
