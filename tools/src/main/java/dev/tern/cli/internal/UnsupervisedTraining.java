package dev.tern.cli.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.Loss;
import dev.tern.train.LossTerms;
import dev.tern.train.models.ModelTemplates;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@code tern finetune} trains an autoencoder ({@code --task reconstruct}) or a VAE
 * ({@code --task vae}) on the features alone, and which parts it can write beside the whole
 * model. The autoencoder learns the mean squared error between its reconstruction output and
 * its input; its encoder is the part giving every other output (the template's
 * {@value ModelTemplates#CODE}). The VAE learns the binary cross-entropy of its logits output
 * against the input, summed per example, plus the KL term of {@value ModelTemplates#MU} and
 * {@value ModelTemplates#LOG_VARIANCE}; its encoder gives those two, and its decoder is a
 * sampler from the latent sample {@value ModelTemplates#LATENT} to pixels through a Sigmoid,
 * output as {@value ModelTemplates#RECONSTRUCTION}.
 */
final class UnsupervisedTraining {
    static final String ENCODER = "encoder";
    static final String DECODER = "decoder";

    private final FinetuneTask task;
    private final Path modelFile;
    private final String reconstruction;
    private final String input;

    /**
     * @param reconstruction the output compared with the input (pixel logits for a VAE)
     * @param input the input fed the features
     */
    UnsupervisedTraining(FinetuneTask task, Path modelFile, String reconstruction, String input) {
        this.task = task;
        this.modelFile = modelFile;
        this.reconstruction = reconstruction;
        this.input = input;
    }

    LossTerms loss() {
        if (task == FinetuneTask.RECONSTRUCT) {
            return Loss.mse(reconstruction, input);
        }
        return Loss.term(Loss.perExampleSum(Loss.binaryCrossEntropyWithLogits()), reconstruction, input)
                .named("reconstruction")
                .plus(Loss.gaussianKl(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE));
    }

    /** The first term's function: the report compares the reconstruction with the input only under MSE. */
    Loss reportedLoss() {
        return task == FinetuneTask.RECONSTRUCT ? Loss.meanSquaredError() : Loss.binaryCrossEntropyWithLogits();
    }

    /**
     * Asks {@code recipe} for the encoder and, with {@code decoder}, the decoder of {@code model}
     * as parts named {@value #ENCODER} and {@value #DECODER}.
     *
     * @throws CliFailure (usage) if an autoencoder has no output beside its reconstruction, or
     *     a decoder is asked of another task than vae
     */
    void exportParts(FineTune.Builder recipe, Model model, boolean encoder, boolean decoder) {
        if (encoder) {
            recipe.exportPart(ENCODER, List.of(), encoderOutputs(model));
        }
        if (decoder) {
            if (task != FinetuneTask.VAE) {
                throw CliFailure.usage("--decoder-out writes a VAE's decoder: it needs --task vae, found "
                        + task.label());
            }
            recipe.exportPart(DECODER, List.of(ModelTemplates.LATENT), List.of(reconstruction));
        }
    }

    private List<String> encoderOutputs(Model model) {
        if (task == FinetuneTask.VAE) {
            return List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE);
        }
        List<String> others = model.graph().outputs().stream().map(Value::name)
                .filter(name -> !name.equals(reconstruction)).toList();
        if (others.isEmpty()) {
            throw CliFailure.usage(modelFile, "--encoder-out needs an output beside the reconstruction '"
                    + reconstruction + "' (a code), found only that one");
        }
        return others;
    }

    /** The exported decoder {@code z -> logits} as a sampler {@code z -> Sigmoid(logits)}; changes {@code decoder}. */
    static Model sampler(Model decoder) {
        Graph graph = decoder.graph();
        Value logits = graph.outputs().get(0);
        Value pixels = GraphEditor.of(graph).append().addOp("Sigmoid", logits);
        pixels.setType(logits.type());
        pixels.rename(ModelTemplates.RECONSTRUCTION);
        graph.setOutput(0, pixels);
        return decoder;
    }
}
