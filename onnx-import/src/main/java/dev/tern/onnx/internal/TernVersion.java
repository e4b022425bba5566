package dev.tern.onnx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This Tern's version, which the build writes into {@code dev/tern/onnx/version.properties}:
 * the same in tests (from the build's classes folder) and in a packaged or shaded jar.
 */
public final class TernVersion {
    private static final String RESOURCE = "/dev/tern/onnx/version.properties";
    private static final String VERSION = load();

    private TernVersion() {
    }

    /** The project version, such as {@code 0.1.0}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = TernVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = properties.getProperty("version", "");
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no version ('" + version
                    + "'); build with Maven, which fills it in");
        }
        return version;
    }
}
