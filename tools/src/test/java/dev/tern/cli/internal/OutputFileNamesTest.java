package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OutputFileNamesTest {
    private final Path folder = Path.of("out");
    private final OutputFileNames names = new OutputFileNames(folder);

    @Test
    void safeNamesStayAsTheyAre() {
        assertEquals(folder.resolve("logits.npy"), names.fileFor("logits"));
        assertEquals(folder.resolve("last_hidden-state.v2.npy"), names.fileFor("last_hidden-state.v2"));
    }

    @Test
    void oddNamesStayInsideTheFolder() {
        for (String name : new String[] {"../../etc/passwd", "/abs", "..", ".", "", "a\\b", "C:x", ".hidden", "é\u0000"}) {
            Path file = names.fileFor(name);
            assertEquals(folder, file.getParent(), name);
            assertTrue(file.getFileName().toString().matches("[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.npy"), file::toString);
        }
    }

    @Test
    void namesThatCollideGetSuffixesEvenIgnoringCase() {
        assertEquals(folder.resolve("a_b.npy"), names.fileFor("a/b"));
        assertEquals(folder.resolve("a_b_2.npy"), names.fileFor("a:b"));
        assertEquals(folder.resolve("A_B_3.npy"), names.fileFor("A_B"));
    }

    @Test
    void longNamesAreCut() {
        Path file = names.fileFor("x".repeat(500));

        assertEquals(OutputFileNames.MAX_STEM_LENGTH + ".npy".length(), file.getFileName().toString().length());
    }
}
