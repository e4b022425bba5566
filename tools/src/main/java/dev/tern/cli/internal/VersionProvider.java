package dev.tern.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Answers {@code tern --version} from the project version Maven writes into {@code version.properties}. */
public final class VersionProvider implements IVersionProvider {
    private static final String RESOURCE = "/dev/tern/cli/version.properties";

    @Override
    public String[] getVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {"tern " + properties.getProperty("version")
                + " (Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")"};
    }
}
