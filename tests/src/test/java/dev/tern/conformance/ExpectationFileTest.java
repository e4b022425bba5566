package dev.tern.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectationFileTest {
    @TempDir
    Path dir;

    @Test
    void rewrittenFileMatchesWhatItWasWrittenFrom() throws IOException {
        ExpectationFile file = new ExpectationFile(dir.resolve("skips.txt"), List.of("what this is", ""));
        file.rewrite(lines(Map.of("node/b", "ORT_LOAD | no kernel", "node/a", "RANDOM | Bernoulli")));

        assertEquals("# what this is\n#\nnode/a | RANDOM | Bernoulli\nnode/b | ORT_LOAD | no kernel\n",
                Files.readString(dir.resolve("skips.txt")));
        assertEquals(List.of(), file.differences(lines(Map.of("node/a", "RANDOM | Bernoulli",
                "node/b", "ORT_LOAD | no kernel"))));
    }

    @Test
    void everyAddedRemovedOrChangedLineIsListed() {
        ExpectationFile file = new ExpectationFile(dir.resolve("skips.txt"), List.of());
        file.rewrite(lines(Map.of("a", "1", "b", "2", "c", "3")));

        assertEquals(List.of(
                "  changed:        b | 2\n             now: b | 9",
                "  listed, absent: c | 3",
                "  not listed:     d | 4"), file.differences(lines(Map.of("a", "1", "b", "9", "d", "4"))));
    }

    @Test
    void failureMessageSaysHowToRegenerate() {
        ExpectationFile file = new ExpectationFile(dir.resolve("missing.txt"), List.of());

        String message = file.mismatch(lines(Map.of("Add", "values 1")), "Counts", "SomeTest").orElseThrow();
        assertTrue(message.startsWith("Counts differ from " + dir.resolve("missing.txt") + " (1 lines):\n"
                + "  not listed:     Add | values 1\n"), message);
        assertTrue(message.contains("-Dtest=SomeTest") && message.contains("-Dtern.conformance.update=true"), message);
    }

    @Test
    void malformedLineIsRefusedWithItsNumber() throws IOException {
        Files.writeString(dir.resolve("bad.txt"), "# header\nnode/a | fine\nnode/b without separator\n");
        ExpectationFile file = new ExpectationFile(dir.resolve("bad.txt"), List.of());

        String message = assertThrows(IllegalStateException.class, () -> file.differences(new TreeMap<>()))
                .getMessage();
        assertTrue(message.contains("bad.txt line 3") && message.contains("'node/b without separator'"), message);
    }

    private static SortedMap<String, String> lines(Map<String, String> lines) {
        return new TreeMap<>(lines);
    }
}
