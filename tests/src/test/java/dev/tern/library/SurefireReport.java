package dev.tern.library;

import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The totals of one test class's Surefire XML report ({@code TEST-<class>.xml}). */
record SurefireReport(int tests, int failures, int errors, int skipped) {

    /**
     * Reads the report that the Surefire run in {@code projectDirectory} wrote for {@code testClass}.
     *
     * @throws IOException if there is no such report, as when the class did not run
     */
    static SurefireReport of(Path projectDirectory, String testClass) throws IOException {
        Path file = projectDirectory.resolve("target/surefire-reports/TEST-" + testClass + ".xml");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no Surefire report " + file + ": " + testClass + " did not run");
        }
        Element suite = Xml.root(file);
        return new SurefireReport(count(suite, "tests"), count(suite, "failures"), count(suite, "errors"),
                count(suite, "skipped"));
    }

    private static int count(Element suite, String attribute) {
        return Integer.parseInt(suite.getAttribute(attribute));
    }
}
