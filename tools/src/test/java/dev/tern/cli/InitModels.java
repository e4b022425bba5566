package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes template models through {@code tern init-model}, as a user would, for the command tests. */
final class InitModels {
    private InitModels() {
    }

    /**
     * Runs {@code tern init-model KIND SIZES... --seed SEED --out FOLDER/KIND.onnx} and checks
     * that it succeeded and said where it wrote.
     *
     * @return the written model file
     */
    static Path write(Path folder, long seed, String kind, String... sizes) {
        Path model = folder.resolve(kind + ".onnx");
        List<String> args = new ArrayList<>(List.of("init-model", kind));
        args.addAll(List.of(sizes));
        args.addAll(List.of("--seed", Long.toString(seed), "--out", model.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("wrote " + model), run::toString);
        return model;
    }
}
