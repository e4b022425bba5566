package dev.tern.train;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.models.ModelTemplates;
import java.util.List;
import java.util.Objects;

/**
 * How an autoencoder ({@link FineTuneTask#RECONSTRUCT}) or a VAE ({@link FineTuneTask#VAE})
 * learns from its input alone, and the parts a {@link FineTune} can export beside the whole
 * model. The autoencoder learns the mean squared error between its reconstruction output and
 * its input; its encoder is the part giving every other output (the template's
 * {@value ModelTemplates#CODE}). The VAE learns the binary cross-entropy of its logits output
 * against the input, summed per example, plus the KL term of {@value ModelTemplates#MU} and
 * {@value ModelTemplates#LOG_VARIANCE}; its encoder gives those two, and its decoder, through
 * {@link #sampler}, maps the latent sample {@value ModelTemplates#LATENT} to pixels.
 *
 * <pre>{@code
 * UnsupervisedObjective vae = UnsupervisedObjective.of(FineTuneTask.VAE, "logits", "input");
 * FineTune.Builder recipe = FineTune.builder(model, batches).loss(vae.loss());
 * vae.exportParts(recipe, model, true, true);
 * FineTune.Result result = recipe.build().run(runtime);
 * Model sampler = UnsupervisedObjective.sampler(result.part(UnsupervisedObjective.DECODER));
 * }</pre>
 */
public final class UnsupervisedObjective {
    /** The name of the encoder part in {@link FineTune.Result#part}. */
    public static final String ENCODER = "encoder";
    /** The name of the VAE's decoder part in {@link FineTune.Result#part}. */
    public static final String DECODER = "decoder";

    private final FineTuneTask task;
    private final String reconstruction;
    private final String input;

    private UnsupervisedObjective(FineTuneTask task, String reconstruction, String input) {
        this.task = task;
        this.reconstruction = reconstruction;
        this.input = input;
    }

    /**
     * The objective of {@code task} for a model whose output {@code reconstruction} (a VAE's
     * pixel logits) is compared with its input {@code input}.
     *
     * @throws IllegalArgumentException if {@code task} learns from labels
     */
    public static UnsupervisedObjective of(FineTuneTask task, String reconstruction, String input) {
        Objects.requireNonNull(task, "task");
        if (!task.unsupervised()) {
            throw new IllegalArgumentException("task " + task.label() + " learns from labels, expected "
                    + FineTuneTask.RECONSTRUCT.label() + " or " + FineTuneTask.VAE.label());
        }
        return new UnsupervisedObjective(task, Objects.requireNonNull(reconstruction, "reconstruction"),
                Objects.requireNonNull(input, "input"));
    }

    /** The loss terms to train with. */
    public LossTerms loss() {
        if (task == FineTuneTask.RECONSTRUCT) {
            return Loss.mse(reconstruction, input);
        }
        return Loss.term(Loss.perExampleSum(Loss.binaryCrossEntropyWithLogits()), reconstruction, input)
                .named("reconstruction")
                .plus(Loss.gaussianKl(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE));
    }

    /** The first term's function, which says what a report compares: the reconstruction with the input. */
    public Loss reportedLoss() {
        return task == FineTuneTask.RECONSTRUCT ? Loss.meanSquaredError() : Loss.binaryCrossEntropyWithLogits();
    }

    /**
     * Asks {@code recipe} for the encoder of {@code model} and, with {@code decoder}, its
     * decoder, as parts named {@value #ENCODER} and {@value #DECODER}.
     *
     * @return {@code recipe}
     * @throws TrainingException naming the model graph if an autoencoder has no output beside
     *     its reconstruction, or a decoder is asked of another task than vae
     */
    public FineTune.Builder exportParts(FineTune.Builder recipe, Model model, boolean encoder, boolean decoder) {
        if (encoder) {
            recipe.exportPart(ENCODER, List.of(), encoderOutputs(model));
        }
        if (decoder) {
            if (task != FineTuneTask.VAE) {
                throw new TrainingException("model graph '" + model.graph().name() + "': a decoder is exported "
                        + "from a VAE; it needs task " + FineTuneTask.VAE.label() + ", found " + task.label());
            }
            recipe.exportPart(DECODER, List.of(ModelTemplates.LATENT), List.of(reconstruction));
        }
        return recipe;
    }

    private List<String> encoderOutputs(Model model) {
        if (task == FineTuneTask.VAE) {
            return List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE);
        }
        List<String> others = model.graph().outputs().stream().map(Value::name)
                .filter(name -> !name.equals(reconstruction)).toList();
        if (others.isEmpty()) {
            throw new TrainingException("model graph '" + model.graph().name() + "': an encoder needs an output "
                    + "beside the reconstruction '" + reconstruction + "' (a code), found only that one");
        }
        return others;
    }

    /**
     * The exported decoder {@code z -> logits} as a sampler {@code z -> Sigmoid(logits)}, its
     * output named {@value ModelTemplates#RECONSTRUCTION}; changes {@code decoder} in place.
     */
    public static Model sampler(Model decoder) {
        Graph graph = decoder.graph();
        Value logits = graph.outputs().get(0);
        Value pixels = GraphEditor.of(graph).append().addOp("Sigmoid", logits);
        pixels.setType(logits.type());
        pixels.rename(ModelTemplates.RECONSTRUCTION);
        graph.setOutput(0, pixels);
        return decoder;
    }
}
