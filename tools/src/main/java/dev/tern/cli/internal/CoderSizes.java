package dev.tern.cli.internal;

import java.util.List;
import picocli.CommandLine.Option;

/** The sizes {@code init-model autoencoder} and {@code init-model vae} share. */
final class CoderSizes {
    @Option(names = "--inputs", required = true, paramLabel = "N", description = "Features per example, scaled to [0, 1].")
    private int inputs;

    @Option(names = "--hidden", paramLabel = "N", split = ",",
            description = "Widths of the encoder's hidden layers, as 32 or 128,64; the decoder mirrors them "
                    + "(default: 32).")
    private List<Integer> hidden = List.of(32);

    @Option(names = "--latent", required = true, paramLabel = "N", description = "Width of the latent code.")
    private int latent;

    int inputs() {
        return inputs;
    }

    int[] hidden() {
        return hidden.stream().mapToInt(Integer::intValue).toArray();
    }

    int latent() {
        return latent;
    }
}
