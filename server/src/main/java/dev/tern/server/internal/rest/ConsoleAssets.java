package dev.tern.server.internal.rest;

import dev.tern.server.Status;
import dev.tern.server.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console's files, read once from the jar: the page at {@code /} and its stylesheet
 * and script under {@code /console/}. Only the files named here are ever served, so no path a
 * client sends ({@code /console/../../x}, percent-encoded or not) reaches anything else.
 *
 * <p>The page is fetched again on every visit ({@code no-cache}); it links its stylesheet and
 * script with a fingerprint of their contents ({@code ?v=...}), and a request carrying the
 * current fingerprint may be cached for good, since new contents get a new link. Every answer
 * forbids content sniffing, and the page's Content-Security-Policy lets it reach this server
 * only.
 */
final class ConsoleAssets {
    /** The first path segment of the console's files; the page itself is at {@code /}. */
    private static final String PREFIX = "console";

    private static final String RESOURCES = "/dev/tern/server/console/";
    private static final String PAGE = "index.html";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");
    private static final String NO_CACHE = "no-cache";
    private static final String FOREVER = "public, max-age=31536000, immutable";
    /** Scripts, styles, fetches and images from this server only; images may also be the upload's blob URL. */
    private static final String POLICY = "default-src 'self'; img-src 'self' blob: data:; object-src 'none';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * Reads the console's files from the class path.
     *
     * @throws IllegalStateException if one is missing from the jar (a packaging error)
     */
    static ConsoleAssets fromClassPath() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        String page = new String(read(PAGE), StandardCharsets.UTF_8);
        for (String name : CONTENT_TYPES.keySet()) {
            if (!name.equals(PAGE)) {
                byte[] bytes = read(name);
                String fingerprint = fingerprint(bytes);
                assets.put(name, new Asset(CONTENT_TYPES.get(name), bytes, fingerprint));
                page = page.replace("\"/" + PREFIX + "/" + name + "\"",
                        "\"/" + PREFIX + "/" + name + "?v=" + fingerprint + "\"");
            }
        }
        assets.put(PAGE, new Asset(CONTENT_TYPES.get(PAGE), page.getBytes(StandardCharsets.UTF_8), null));
        return new ConsoleAssets(Map.copyOf(assets));
    }

    /** Whether {@code parts}, a request's decoded path segments, name the page or a path under {@code /console/}. */
    static boolean serves(List<String> parts) {
        return parts.isEmpty() || parts.get(0).equals(PREFIX);
    }

    /**
     * The file at {@code parts} (which {@link #serves}), with its caching headers.
     *
     * @param query the request's query, without the '?', or "" when it has none
     * @throws StatusException NOT_FOUND for anything but the page and the files under {@code /console/}
     */
    RestResponse answer(List<String> parts, String query) {
        String name = parts.isEmpty() ? PAGE : parts.size() == 2 ? parts.get(1) : null;
        Asset asset = name == null ? null : assets.get(name);
        if (asset == null) {
            throw Status.notFound("no console file /" + String.join("/", parts) + "; the console is at /"
                    + " and its files are " + assets.keySet().stream().filter(n -> !n.equals(PAGE))
                    .map(n -> "/" + PREFIX + "/" + n).sorted().toList()).asException();
        }
        boolean current = asset.fingerprint() != null && query.equals("v=" + asset.fingerprint());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", current ? FOREVER : NO_CACHE);
        headers.put("X-Content-Type-Options", "nosniff");
        if (name.equals(PAGE)) {
            headers.put("Content-Security-Policy", POLICY);
        }
        return new RestResponse(200, asset.contentType(), asset.bytes(), Map.copyOf(headers));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + RESOURCES + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading console file " + RESOURCES + name, e);
        }
    }

    /** The first 16 hex digits of the SHA-256 of {@code bytes}. */
    private static String fingerprint(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** One file: its content type, bytes (never changed) and fingerprint (null for the page, which is never cached). */
    private record Asset(String contentType, byte[] bytes, String fingerprint) {
    }
}
