package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.train.KeptWeights;
import dev.tern.train.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The data and training options are one declaration shared by {@code finetune}, {@code prune},
 * {@code distill} and {@code quantize}: the same arguments parse to the same values in each,
 * and with none given each command gets the same defaults.
 */
class SharedTrainingOptionsTest {
    /** Each command with the arguments it needs besides the shared options. */
    private static final Map<String, Command> COMMANDS = commands();

    private record Command(Supplier<Object> create, List<String> ownArguments) {
    }

    private static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("finetune", new Command(FinetuneCommand::new, List.of("model.onnx", "--out", "tuned.onnx")));
        commands.put("prune", new Command(PruneCommand::new, List.of("in.onnx", "out.onnx", "--sparsity", "0.5")));
        commands.put("distill", new Command(DistillCommand::new,
                List.of("teacher.onnx", "student.onnx", "--out", "tuned.onnx")));
        commands.put("quantize", new Command(QuantizeCommand::new, List.of("in.onnx", "out.onnx", "--qat")));
        return commands;
    }

    @Test
    void everyOptionParsesAlikeInEveryCommand() {
        String[] shared = {"--train", "digits.csv", "--split", "0.25", "--label-column", "last", "--no-header",
            "--skip-lines", "1", "--scale", "16", "--feature-shape", "1x8x8", "--epochs", "7", "--batch", "16",
            "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--weight-decay", "0.001",
            "--schedule", "linear:end=0.01", "--keep", "last", "--seed", "5", "--threads", "2"};
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("train", Path.of("digits.csv"));
        expected.put("validation", null);
        expected.put("split", 0.25);
        expected.put("label column", "last");
        expected.put("table layout given", true);
        expected.put("scaling given", true);
        expected.put("feature shape", "1x8x8");
        expected.put("epochs", 7);
        expected.put("batch", 16);
        expected.put("optimizer", Optimizer.sgd(0.9, false, 0.001));
        expected.put("rate halfway", 0.05 + (0.01 - 0.05) / 2);
        expected.put("kept", Optional.of(KeptWeights.LAST_EPOCH));
        expected.put("seed", 5L);
        expected.put("threads", 2);

        for (String command : COMMANDS.keySet()) {
            assertEquals(expected, parsed(command, shared), "tern " + command + " " + String.join(" ", shared));
        }
    }

    @Test
    void everyCommandHasTheSameDefaults() {
        Map<String, Object> finetune = parsed("finetune");
        assertEquals(10, finetune.get("epochs"));
        assertEquals(32, finetune.get("batch"));
        assertEquals(Optimizer.adamW(0.01), finetune.get("optimizer"));
        assertEquals(1e-3, finetune.get("rate halfway"));
        assertEquals(42L, finetune.get("seed"));
        assertEquals(0, finetune.get("threads"));
        assertEquals("label", finetune.get("label column"));
        for (String command : COMMANDS.keySet()) {
            assertEquals(finetune, parsed(command), "tern " + command + "'s defaults");
        }
    }

    @Test
    void anotherFlagOfTheSameExclusiveGroupParsesAlikeToo() {
        String[] shared = {"--train", "a.csv", "--validation", "b.csv", "--standardize", "--optimizer", "adam"};
        for (String command : COMMANDS.keySet()) {
            Map<String, Object> values = parsed(command, shared);
            assertEquals(Path.of("b.csv"), values.get("validation"), command);
            assertEquals(null, values.get("split"), command);
            assertEquals(true, values.get("scaling given"), command);
            assertEquals(new Optimizer.Adam(0.9, 0.999, 1e-8, 0, false), values.get("optimizer"), command);
        }
    }

    /** What {@code tern command} makes of the shared options in {@code shared}, read through the mixins. */
    private static Map<String, Object> parsed(String command, String... shared) {
        Command chosen = COMMANDS.get(command);
        List<String> arguments = new ArrayList<>(chosen.ownArguments());
        arguments.addAll(Arrays.asList(shared));
        CommandLine commandLine = new CommandLine(chosen.create().get());
        commandLine.parseArgs(arguments.toArray(String[]::new));
        DataOptions data = (DataOptions) commandLine.getCommandSpec().mixins().get("data").userObject();
        TrainingOptions training = (TrainingOptions) commandLine.getCommandSpec().mixins().get("training").userObject();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("train", data.train());
        values.put("validation", data.validation());
        values.put("split", data.split());
        values.put("label column", data.table().labelColumnName());
        values.put("table layout given", data.table().describesLayout());
        values.put("scaling given", data.scaling().given());
        values.put("feature shape", data.featureShape());
        values.put("epochs", training.epochs());
        values.put("batch", training.batch());
        values.put("optimizer", training.optimizer());
        values.put("rate halfway", training.schedule(data.validated()).apply(100).rate(50));
        values.put("kept", training.kept());
        values.put("seed", training.seed());
        values.put("threads", training.sessionConfig().intraOpThreads());
        return values;
    }
}
