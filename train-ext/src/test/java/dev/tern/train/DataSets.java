package dev.tern.train;

import java.nio.file.Path;
import java.util.Objects;

/** The data sets shipped in the checkout's {@code data/} folder (public for the subpackages' tests). */
public final class DataSets {
    private DataSets() {
    }

    /** {@code data/<file>} of the checkout; Maven's Surefire names the checkout in {@code tern.root}. */
    public static Path file(String file) {
        String root = Objects.requireNonNull(System.getProperty("tern.root"),
                "system property tern.root (the checkout's root) is not set; run the tests through Maven");
        return Path.of(root, "data", file);
    }
}
