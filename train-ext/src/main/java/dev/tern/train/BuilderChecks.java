package dev.tern.train;

/** Checks this package's builders share, so that the same mistake gets the same message in each. */
final class BuilderChecks {
    private BuilderChecks() {
    }

    /**
     * {@code value}, checked.
     *
     * @param what the setting, as the message names it ("epochs", "batch size")
     * @throws IllegalArgumentException if below 1
     */
    static int atLeastOne(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, found " + value);
        }
        return value;
    }
}
