package dev.tern.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Chromium page driven over the Chrome DevTools Protocol on the JDK's WebSocket client:
 * navigate, evaluate script, click and type as input events, choose files, take screenshots.
 * Every call and every wait gives up after {@link #TIMEOUT}. Script errors, console errors and
 * the browser's own error log entries (a blocked request, a Content-Security-Policy violation)
 * are collected as {@link #problems()}.
 */
public final class DevToolsPage implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger lastId = new AtomicInteger();
    private WebSocket socket;

    private DevToolsPage() {
    }

    /** Connects to the page's DevTools WebSocket at {@code uri} and enables the events {@link #problems()} reads. */
    static DevToolsPage connect(HttpClient http, URI uri) throws InterruptedException {
        DevToolsPage page = new DevToolsPage();
        page.socket = await("connecting to " + uri, http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(uri, page.new Messages()));
        page.call("Runtime.enable", Map.of());
        page.call("Log.enable", Map.of());
        page.call("Page.enable", Map.of());
        return page;
    }

    /**
     * Sends {@code method} with {@code params} and returns its result.
     *
     * @throws IllegalStateException if the browser answers with an error or not within {@link #TIMEOUT}
     */
    public JsonNode call(String method, Map<String, ?> params) throws InterruptedException {
        int id = lastId.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        await("sending " + method, socket.sendText(message.toString(), true));
        JsonNode reply = await(method, answer);
        if (reply.has("error")) {
            throw new IllegalStateException("DevTools " + method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Opens {@code url} and waits until the document and its script have loaded. */
    public void navigate(String url) throws InterruptedException {
        JsonNode result = call("Page.navigate", Map.of("url", url));
        if (result.has("errorText")) {
            throw new IllegalStateException("Chromium could not open " + url + ": " + result.get("errorText").asText());
        }
        waitFor("the page at " + url + " to load", "document.readyState === 'complete'");
    }

    /**
     * The value of {@code expression}, awaited if it is a promise.
     *
     * @throws IllegalStateException if it throws in the page
     */
    public JsonNode evaluate(String expression) throws InterruptedException {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed in the page: " + expression + "\n"
                    + result.path("exceptionDetails").path("exception").path("description").asText(
                    result.path("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** Evaluates {@code predicate} every 100 ms until it is true; fails after {@link #TIMEOUT} naming {@code what}. */
    public void waitFor(String what, String predicate) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!evaluate("Boolean(" + predicate + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + TIMEOUT.toSeconds() + " s for " + what + " (" + predicate
                        + "); the page shows:\n" + evaluate("document.body.innerText").asText()
                        + "\nproblems: " + problems);
            }
            Thread.sleep(100);
        }
    }

    /** The text of the first element matching {@code selector}. */
    public String text(String selector) throws InterruptedException {
        return evaluate(element(selector) + ".textContent").asText();
    }

    /** Clicks the middle of the first element matching {@code selector} with the mouse, scrolling it into view first. */
    public void click(String selector) throws InterruptedException {
        JsonNode middle = evaluate("(() => { const e = " + element(selector) + "; e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        double x = middle.get(0).asDouble();
        double y = middle.get(1).asDouble();
        call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        for (String type : List.of("mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Replaces the text of the field matching {@code selector} with {@code text}, typed as the keyboard would. */
    public void type(String selector, String text) throws InterruptedException {
        evaluate("(() => { const e = " + element(selector) + "; e.focus(); e.select(); })()");
        call("Input.insertText", Map.of("text", text));
    }

    /** Chooses {@code file} in the file input matching {@code selector}, which fires its change event. */
    public void chooseFile(String selector, Path file) throws InterruptedException {
        int document = call("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
        int input = call("DOM.querySelector", Map.of("nodeId", document, "selector", selector)).path("nodeId").asInt();
        if (input == 0) {
            throw new IllegalStateException("no element matches " + selector);
        }
        call("DOM.setFileInputFiles", Map.of("nodeId", input, "files", List.of(file.toAbsolutePath().toString())));
    }

    /** A PNG of the whole page, beyond the window if it is longer. */
    public byte[] screenshot() throws InterruptedException {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode(shot.path("data").asText());
    }

    /** The script exceptions, console errors and browser error log entries seen so far. */
    public List<String> problems() {
        return new ArrayList<>(problems);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static String element(String selector) {
        try {
            String quoted = JSON.writeValueAsString(selector);
            return "(document.querySelector(" + quoted + ") ?? (() => { throw new Error('no element matches ' + "
                    + quoted + "); })())";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T await(String what, CompletionStage<T> stage) throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("DevTools: " + what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("DevTools: no answer to " + what + " within " + TIMEOUT.toSeconds() + " s");
        }
    }

    /** Reassembles the browser's messages, completes the call each answers and records the events that report problems. */
    private final class Messages implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    problems.add("DevTools sent malformed JSON: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(call -> call.completeExceptionally(error));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            IllegalStateException closed = new IllegalStateException("DevTools connection closed: " + statusCode
                    + " " + reason);
            pending.values().forEach(call -> call.completeExceptionally(closed));
            return null;
        }

        private void dispatch(JsonNode message) {
            if (message.has("id")) {
                CompletableFuture<JsonNode> call = pending.remove(message.get("id").asInt());
                if (call != null) {
                    call.complete(message);
                }
                return;
            }
            JsonNode params = message.path("params");
            switch (message.path("method").asText()) {
                case "Runtime.exceptionThrown" -> problems.add("script exception: "
                        + params.path("exceptionDetails").path("exception").path("description")
                        .asText(params.path("exceptionDetails").path("text").asText()));
                case "Runtime.consoleAPICalled" -> {
                    if (params.path("type").asText().equals("error")) {
                        problems.add("console error: " + params.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if (params.path("entry").path("level").asText().equals("error")) {
                        problems.add("browser error: " + params.path("entry").path("text").asText() + " "
                                + params.path("entry").path("url").asText());
                    }
                }
                default -> {
                }
            }
        }
    }
}
