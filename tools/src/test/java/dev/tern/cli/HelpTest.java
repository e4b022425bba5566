package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command answers {@code --help}, {@code -h} and {@code --version}, even one with required options. */
class HelpTest {
    static Stream<String> commands() {
        return Tern.newCommandLine().getSubcommands().keySet().stream().filter(name -> !name.equals("help"));
    }

    @ParameterizedTest(name = "tern {0} --help and -h")
    @MethodSource("commands")
    void helpPrintsTheUsage(String command) {
        for (String help : new String[] {"--help", "-h"}) {
            CliRun run = CliRun.of(command, help);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().startsWith("Usage: tern " + command), run::toString);
            assertTrue(run.out().contains("-h, --help"), run::toString);
            assertTrue(run.err().isEmpty(), run::toString);
        }
    }

    @ParameterizedTest(name = "tern {0} --version")
    @MethodSource("commands")
    void versionPrintsTernsVersion(String command) {
        CliRun run = CliRun.of(command, "--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(CliRun.of("--version").out(), run.out());
        assertFalse(run.out().isBlank(), run::toString);
    }
}
