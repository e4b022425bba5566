package dev.tern.server.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Runtime;
import dev.tern.server.ModelControl;
import dev.tern.server.internal.AccessPolicy;
import dev.tern.server.internal.BearerToken;
import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.cache.ResponseCache;
import dev.tern.server.internal.repository.ModelRepository;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web console's files as the REST handler writes them, on a server with a bearer token:
 * content types, caching, no token needed for the files, nothing else reachable through
 * {@code /console/}, and the KServe routes unshadowed.
 */
class ConsoleRoutesTest {
    private static final String TOKEN = "console-test-token";

    @TempDir
    Path repository;
    private Runtime runtime;
    private ModelRepository models;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        runtime = Runtime.create();
        ServerMetrics metrics = new ServerMetrics();
        models = new ModelRepository(repository, runtime, ModelControl.NONE, metrics);
        AccessPolicy tokenRequired = new AccessPolicy(BearerToken.of(TOKEN), false);
        channel = new EmbeddedChannel(new RestHandler(new RestRoutes(
                new RepositoryInferenceService(models, metrics, new ResponseCache(0), "test"), metrics, tokenRequired)));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        models.close();
        runtime.close();
    }

    @Test
    void thePageIsServedAtTheRootWithoutAToken() {
        Answer page = get("/");
        assertEquals(200, page.status);
        assertEquals("text/html; charset=utf-8", page.header(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("no-cache", page.header(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertTrue(page.header(HttpHeaderNames.CONTENT_SECURITY_POLICY).startsWith("default-src 'self'"),
                page.header(HttpHeaderNames.CONTENT_SECURITY_POLICY));
        assertTrue(page.body.contains("<title>Tern console</title>"), page.body);
        assertFalse(page.body.contains("http://") || page.body.contains("https://"),
                "the page must make no requests to other hosts");
    }

    @Test
    void thePageLinksItsFilesByFingerprintAndThoseMayBeCachedForGood() throws IOException {
        String page = get("/").body;
        for (String[] file : new String[][] {{"console.js", "text/javascript; charset=utf-8"},
                {"console.css", "text/css; charset=utf-8"}}) {
            Matcher link = Pattern.compile("\"(/console/" + Pattern.quote(file[0]) + "\\?v=[0-9a-f]{16})\"").matcher(page);
            assertTrue(link.find(), "the page links " + file[0] + " with a fingerprint: " + page);
            Answer fingerprinted = get(link.group(1));
            assertEquals(200, fingerprinted.status);
            assertEquals(file[1], fingerprinted.header(HttpHeaderNames.CONTENT_TYPE));
            assertEquals("public, max-age=31536000, immutable", fingerprinted.header(HttpHeaderNames.CACHE_CONTROL));
            assertEquals(resource(file[0]), fingerprinted.body, "served unchanged from the jar");

            Answer stale = get("/console/" + file[0] + "?v=0000000000000000");
            assertEquals(200, stale.status);
            assertEquals("no-cache", stale.header(HttpHeaderNames.CACHE_CONTROL),
                    "a link with another fingerprint must not be cached for good");
            assertEquals("no-cache", get("/console/" + file[0]).header(HttpHeaderNames.CACHE_CONTROL));
        }
    }

    @Test
    void theScriptKeepsItsTemplateTextThroughTheBuild() {
        // The build filters version.properties only; filtering the script would replace its ${...} and @...@.
        assertTrue(get("/console/console.js").body.contains("const TOKEN_KEY = 'tern.token';"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/nosuch.js", "/console", "/console/", "/console/console.js/extra",
            "/console/../../dev/tern/server/version.properties", "/console/%2e%2e/%2e%2e/dev/tern/server/version.properties",
            "/console/..%2F..%2Fversion.properties", "/console/..%2Fconsole%2Fconsole.js",
            "/console/%2Fdev%2Ftern%2Fserver%2Fversion.properties", "/console/console.js%00.html"})
    void onlyTheConsoleFilesAreServed(String path) {
        Answer answer = get(path);
        assertEquals(404, answer.status, path + " answered " + answer.body);
        assertEquals("application/json", answer.header(HttpHeaderNames.CONTENT_TYPE));
        assertTrue(answer.body.contains("the console is at / and its files are [/console/console.css, /console/console.js]"),
                answer.body);
    }

    @Test
    void theFilesTakeOnlyGet() {
        Answer answer = request(HttpMethod.POST, "/");
        assertEquals(405, answer.status);
        assertTrue(answer.body.contains("method POST is not allowed here; use GET"), answer.body);
    }

    @Test
    void theKServeRoutesAreNotShadowed() {
        assertEquals(401, get("/v2").status, "the console's files need no token, the protocol's routes still do");
        Answer index = request(HttpMethod.POST, "/v2/repository/index", "Bearer " + TOKEN);
        assertEquals(200, index.status, index.body);
        assertEquals("application/json", index.header(HttpHeaderNames.CONTENT_TYPE));
        Answer metadata = request(HttpMethod.GET, "/v2", "Bearer " + TOKEN);
        assertEquals(200, metadata.status, metadata.body);
        assertTrue(metadata.body.contains("\"name\":\"tern\""), metadata.body);
        Answer model = request(HttpMethod.GET, "/v2/models/console", "Bearer " + TOKEN);
        assertEquals(404, model.status);
        assertTrue(model.body.contains("no model 'console'"), model.body);
    }

    private Answer get(String path) {
        return request(HttpMethod.GET, path);
    }

    private Answer request(HttpMethod method, String path) {
        return request(method, path, null);
    }

    private Answer request(HttpMethod method, String path, String authorization) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path);
        if (authorization != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Answer(response);
        } finally {
            response.release();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleRoutesTest.class.getResourceAsStream("/dev/tern/server/console/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A response copied out of its buffer. */
    private static final class Answer {
        final int status;
        final String body;
        private final HttpHeaders headers;

        Answer(FullHttpResponse response) {
            this.status = response.status().code();
            this.body = response.content().toString(StandardCharsets.UTF_8);
            this.headers = response.headers().copy();
        }

        String header(CharSequence name) {
            return headers.get(name);
        }
    }
}
