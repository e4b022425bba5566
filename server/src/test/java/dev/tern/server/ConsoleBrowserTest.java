package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in headless Chromium, driven over the DevTools protocol against a server with
 * a bearer token: the token field, the repository index with a model that failed to load and
 * why, a model's metadata and config, the try-it form with JSON, an image
 * upload and a text box, the traffic charts, unload and load. Leaves a screenshot at
 * {@code target/console-screenshot.png}.
 */
@ExtendWith(NoLeaks.class)
class ConsoleBrowserTest {
    private static final String TOKEN = "console-browser-token";
    private static final Path SCREENSHOT = Path.of("target", "console-screenshot.png");
    private static final int WIDTH = 1280;
    /** The upload's colour, whose channels in [0, 1] the image model's per-channel means must give back. */
    private static final Color COLOUR = new Color(255, 0, 51);

    @TempDir
    Path repository;
    @TempDir
    Path uploads;

    @Test
    void theConsoleServesAndRunsModelsFromTheBrowser() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        TestModels.write(repository, "image", 1, channelMeans());
        TestModels.write(repository, "strings", 1, TestModels.strings());
        Path broken = Files.createDirectories(repository.resolve("broken").resolve("1"));
        Files.writeString(broken.resolve("model.onnx"), "this is not an onnx model\n");
        Path picture = solidPng(uploads.resolve("red.png"));
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .modelControl(ModelControl.EXPLICIT).loadAtStart(List.of(InferenceServer.ALL_MODELS))
                .bearerToken(TOKEN));
             HeadlessChromium chromium = HeadlessChromium.start(WIDTH, 1000);
             DevToolsPage page = chromium.openPage()) {
            page.navigate(server.uri("/").toString());
            page.waitFor("the index to be refused without the token",
                    "document.getElementById('models-status').textContent.includes('HTTP 401')");
            page.type("#token", TOKEN);
            page.click("#refresh"); // leaving the field keeps the token, then the index is asked for again
            page.waitFor("every model to be listed READY", "['affine', 'image', 'strings'].every(name =>"
                    + " document.querySelector('#models tr[data-model=\"' + name + '\"] .state-READY'))");
            assertEquals(TOKEN, page.evaluate("sessionStorage.getItem('tern.token')").asText());
            assertEquals("UNAVAILABLE", page.text("#models tr[data-model=\"broken\"] td:nth-child(3)"));
            String reason = page.text("#models tr[data-model=\"broken\"] td:nth-child(4)");
            assertTrue(reason.contains("model.onnx"), "the index shows why broken failed to load: " + reason);

            // A chart point is the change between two polls: the requests must come after the first poll with the token.
            page.waitFor("the charts to start", "document.getElementById('rate-chart').dataset.series !== undefined");
            tryJson(page);
            tryText(page);
            // The charts keep the last two minutes, each point one polling period of 2 s.
            page.waitFor("the charts to show the requests just made",
                    "JSON.parse(document.getElementById('rate-chart').dataset.series ?? '[]').some(v => v > 0)"
                            + " && JSON.parse(document.getElementById('latency-chart').dataset.series ?? '[]')"
                            + ".some(v => v !== null && v > 0)");
            unloadAndLoad(page);
            tryImage(page, picture);

            Files.createDirectories(SCREENSHOT.getParent());
            int heightBefore = page.evaluate("document.documentElement.scrollHeight").asInt();
            Files.write(SCREENSHOT, page.screenshot());
            BufferedImage shot = ImageIO.read(SCREENSHOT.toFile());
            assertNotNull(shot, "the screenshot is a PNG");
            // The page keeps changing (the charts poll), so its vertical scroll bar may come or go
            // between the screenshot and these readings: the width is the viewport's, less at most
            // a scroll bar, and the height the page's whole height before or after.
            int viewport = page.evaluate("window.innerWidth").asInt();
            assertTrue(shot.getWidth() <= viewport && shot.getWidth() >= viewport - 20,
                    "the screenshot is " + shot.getWidth() + " pixels wide, the viewport " + viewport);
            int heightAfter = page.evaluate("document.documentElement.scrollHeight").asInt();
            assertTrue(shot.getHeight() == heightBefore || shot.getHeight() == heightAfter,
                    "the screenshot is " + shot.getHeight() + " pixels high, the whole page " + heightBefore
                            + " before and " + heightAfter + " after");
            assertEquals(List.of(), page.problems().stream()
                    .filter(problem -> !problem.contains("status of 401"))
                    .toList(), "only the calls made before the token was given may fail");
        }
    }

    /** The affine model from a request typed as JSON. */
    private static void tryJson(DevToolsPage page) throws InterruptedException {
        select(page, "affine");
        page.waitFor("a request template for affine", "document.getElementById('request').value.includes('\"ids\"')");
        assertTrue(page.text("#config").contains("\"max_batch_size\""), page.text("#config"));
        page.type("#request", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 3],"
                + " \"data\": [1, 2, 3]}, {\"name\": \"ids\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [7]}]}");
        page.click("#run");
        page.waitFor("affine's outputs", "document.querySelector('#result tr[data-output=\"next\"]')");
        assertArrayEquals(toDoubles(TestModels.affineExpected(new float[] {1, 2, 3})), values(page, "y"), 1e-6);
        assertArrayEquals(new double[] {8}, values(page, "next"));
    }

    /** The strings model from the text box beside the form. */
    private static void tryText(DevToolsPage page) throws InterruptedException {
        select(page, "strings");
        page.waitFor("the text box for strings", "!document.getElementById('text-input').hidden");
        page.type("#text", "hello console");
        page.click("#run");
        page.waitFor("strings' output", "document.querySelector('#result tr[data-output=\"copy\"]')");
        assertEquals("hello console", page.text("#result tr[data-output=\"copy\"] .values"));
    }

    /** The image model from an uploaded picture, which the page scales to the input's 8 by 8. */
    private static void tryImage(DevToolsPage page, Path picture) throws InterruptedException {
        select(page, "image");
        page.waitFor("the image upload for image", "!document.getElementById('image-input').hidden");
        page.chooseFile("#image-file", picture);
        page.waitFor("the picture to be scaled", "document.getElementById('run-status').textContent"
                + ".includes('scaled to 8x8')");
        assertEquals("[1,3,8,8]/192", page.evaluate("(() => { const input = JSON.parse("
                + "document.getElementById('request').value).inputs[0];"
                + " return JSON.stringify(input.shape) + '/' + input.data.length; })()").asText());
        page.click("#run");
        page.waitFor("image's output", "document.querySelector('#result tr[data-output=\"means\"]')");
        double[] expected = {COLOUR.getRed() / 255.0, COLOUR.getGreen() / 255.0, COLOUR.getBlue() / 255.0};
        assertArrayEquals(expected, values(page, "means"), 1e-3);
    }

    /** Unloads strings and loads it again with the index's buttons. */
    private static void unloadAndLoad(DevToolsPage page) throws InterruptedException {
        page.click("#models tr[data-model=\"strings\"] button[data-action=\"unload\"]");
        page.waitFor("strings to be unloaded", "document.querySelector('#models tr[data-model=\"strings\"]"
                + " button[data-action=\"load\"]') && !document.querySelector('#models tr[data-model=\"strings\"]"
                + " .state-READY')");
        page.click("#models tr[data-model=\"strings\"] button[data-action=\"load\"]");
        page.waitFor("strings to be READY again", "document.querySelector('#models tr[data-model=\"strings\"]"
                + " .state-READY') && document.getElementById('models-status').textContent === 'load strings: done'");
    }

    private static void select(DevToolsPage page, String model) throws InterruptedException {
        page.click("#models tr[data-model=\"" + model + "\"] .model-link");
        page.waitFor("the form for " + model, "document.getElementById('model-name').textContent === '" + model
                + "' && document.getElementById('metadata').textContent.includes('\"inputs\"')");
    }

    private static double[] values(DevToolsPage page, String output) throws InterruptedException {
        String shown = page.text("#result tr[data-output=\"" + output + "\"] .values");
        return Arrays.stream(shown.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    /** {@code means = GlobalAveragePool(image)} over {@code image: FP32[1,3,8,8]}: each channel's mean. */
    private static Model channelMeans() {
        GraphBuilder g = GraphBuilder.create("image");
        Value image = g.input("image", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(8), Dim.of(8));
        g.output(g.op("GlobalAveragePool", image), "means");
        return g.toModel(21);
    }

    /** A 16 by 16 PNG of {@link #COLOUR}, twice the model's size so that the page must scale it. */
    private static Path solidPng(Path file) throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(COLOUR);
            graphics.fillRect(0, 0, 16, 16);
        } finally {
            graphics.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
