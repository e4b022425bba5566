package dev.tern.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server's version, as the build wrote it into {@code version.properties}. */
public final class ServerVersion {
    private static final String RESOURCE = "/dev/tern/server/version.properties";

    private ServerVersion() {
    }

    /** The project version, for example "0.1.0-SNAPSHOT". */
    public static String get() {
        try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path; the build writes it");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
