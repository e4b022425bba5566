package dev.tern.library;

/** The system properties tests/pom.xml hands these tests: paths and versions of this build. */
final class BuildProperty {
    private BuildProperty() {
    }

    /**
     * The value of system property {@code name}.
     *
     * @throws IllegalStateException if it is not set, as when the test runs outside Maven
     */
    static String of(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: tests/pom.xml passes it"
                    + " to Surefire, so run this test through Maven");
        }
        return value;
    }
}
