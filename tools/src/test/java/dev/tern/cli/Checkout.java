package dev.tern.cli;

import java.nio.file.Path;
import java.util.Objects;

/** Files of the checkout the tests run in: the data sets in {@code data/} and the README. */
final class Checkout {
    private Checkout() {
    }

    /** The checkout's root; Maven's Surefire names it in {@code tern.root}. */
    static Path root() {
        return Path.of(Objects.requireNonNull(System.getProperty("tern.root"),
                "system property tern.root (the checkout's root) is not set; run the tests through Maven"));
    }

    static Path dataSet(String file) {
        return root().resolve("data").resolve(file);
    }
}
