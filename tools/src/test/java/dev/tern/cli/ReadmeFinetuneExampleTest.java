package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Fine-tuning" example, read from the README itself: its {@code bin/tern} commands
 * run as written (each in a JVM of its own, in a folder holding a copy of {@code data/digits.csv}),
 * and what they print must be the README table's numbers: parameters from {@code init-model},
 * validation accuracy after the last epoch from {@code finetune}. The timing column is a
 * measurement and is printed, not compared.
 */
class ReadmeFinetuneExampleTest {
    private static final String SECTION = "## Fine-tuning\n";
    private static final Pattern PARAMETERS = Pattern.compile("\\((\\w+), (\\d+) parameters,");
    private static final Pattern EPOCH_ROW =
            Pattern.compile("^\\s*\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+([0-9.]+%)\\s+\\d+\\s+([0-9.]+)$");

    @TempDir
    Path workingDirectory;

    @Test
    void commandsPrintTheNumbersOfTheReadmeTable() throws Exception {
        String section = section(Files.readString(Checkout.root().resolve("README.md")));
        List<List<String>> commands = commands(section);
        List<TableRow> table = table(section);
        Path data = Files.createDirectories(workingDirectory.resolve("data"));
        Files.copy(Checkout.dataSet("digits.csv"), data.resolve("digits.csv"));

        List<String> parameters = new ArrayList<>();
        List<String> accuracies = new ArrayList<>();
        for (List<String> command : commands) {
            String out = run(command);
            if (command.get(0).equals("init-model")) {
                Matcher matcher = PARAMETERS.matcher(out);
                assertTrue(matcher.find(), out);
                parameters.add(matcher.group(2));
            } else {
                List<Matcher> epochs = out.lines().map(EPOCH_ROW::matcher).filter(Matcher::matches).toList();
                assertTrue(!epochs.isEmpty(), out);
                accuracies.add(epochs.get(epochs.size() - 1).group(1));
                double seconds = epochs.stream().mapToDouble(epoch -> Double.parseDouble(epoch.group(2))).sum();
                System.out.printf("README example %s: %.0f ms per epoch%n", command.get(1), 1000 * seconds / epochs.size());
            }
        }

        assertEquals(table.stream().map(TableRow::parameters).toList(), parameters, "parameters in the README");
        assertEquals(table.stream().map(TableRow::accuracy).toList(), accuracies, "accuracies in the README");
        assertTrue(Files.readString(workingDirectory.resolve("mlp-report/training.svg")).contains("validation accuracy"));
        assertTrue(Files.readString(workingDirectory.resolve("mlp-report/training.html")).contains("<table>"));
    }

    /** Runs {@code tern} with {@code arguments} in the working directory; returns its stdout. */
    private String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Tern.class.getName()));
        command.addAll(arguments);
        Path out = workingDirectory.resolve("stdout");
        Path err = workingDirectory.resolve("stderr");
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "tern " + arguments + " still running after 5 minutes");
        assertEquals(0, process.exitValue(), () -> "tern " + arguments + "\n" + read(out) + read(err));
        return read(out);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has no '" + SECTION.trim() + "' section");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The section's first shell block: each {@code bin/tern} command, continuation lines joined, as arguments. */
    private static List<List<String>> commands(String section) {
        int start = section.indexOf("```sh\n");
        int end = section.indexOf("```", start + 6);
        assertTrue(start >= 0 && end > start, "no shell block in the README's fine-tuning section");
        String block = section.substring(start + 6, end).replace("\\\n", " ");
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            List<String> words = List.of(line.split("\\s+"));
            assertEquals("bin/tern", words.get(0), "README fine-tuning command: " + line);
            commands.add(words.subList(1, words.size()));
        }
        return commands;
    }

    private record TableRow(String parameters, String accuracy) {
    }

    /** The rows of the section's table: parameters (thousands separators removed) and validation accuracy. */
    private static List<TableRow> table(String section) {
        List<TableRow> rows = new ArrayList<>();
        for (String line : section.lines().filter(line -> line.startsWith("| ")).skip(1).toList()) {
            if (line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            rows.add(new TableRow(cells[2].strip().replace(",", ""), cells[3].strip()));
        }
        return rows;
    }
}
