package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.TextBatchLoader;
import dev.tern.train.data.TextDataset;
import dev.tern.train.data.TextDatasetReader;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.models.ClassifierHead;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Prepares {@link FineTuneData} for a text classifier: labelled texts from tab-separated
 * files, tokenized with the encoder's {@code tokenizer.json}, and a mean-pooling
 * classification head ({@link ClassifierHead#meanPooled}) put on the encoder, sized to the
 * classes the training data name, whose names go into the exported models' metadata. The
 * head's weights are always trained. Defaults: texts in column {@code text} and class names
 * in {@code label}, texts cut to 128 tokens, the encoder's first output as its hidden states,
 * mask input {@value TextTokenizer#ATTENTION_MASK}, no validation data, batches of 32, seed 42.
 */
public final class TextDataBuilder {
    private final Model encoder;
    private final Path train;
    private final Path tokenizerFile;
    private String textColumn = "text";
    private String labelColumn = "label";
    private int maxTokens = 128;
    private String hiddenOutput;
    private String maskInput = TextTokenizer.ATTENTION_MASK;
    private Path validation;
    private Double validationFraction;
    private int batch = 32;
    private long seed = 42;

    TextDataBuilder(Model encoder, Path train, Path tokenizerFile) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.train = Objects.requireNonNull(train, "train");
        this.tokenizerFile = Objects.requireNonNull(tokenizerFile, "tokenizer");
    }

    /** The header names of the column holding the texts and of the one holding their class names. */
    public TextDataBuilder columns(String text, String label) {
        this.textColumn = Objects.requireNonNull(text, "text");
        this.labelColumn = Objects.requireNonNull(label, "label");
        return this;
    }

    /** Cuts texts to this many tokens. @throws IllegalArgumentException if below 2 */
    public TextDataBuilder maxTokens(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("the token limit must be at least 2, found " + count);
        }
        this.maxTokens = count;
        return this;
    }

    /** The encoder output holding the hidden states, {@code [batch, tokens, width]}. */
    public TextDataBuilder hiddenOutput(String name) {
        this.hiddenOutput = Objects.requireNonNull(name, "hiddenOutput");
        return this;
    }

    /** The encoder's attention-mask input, which the head's mean pooling reads. */
    public TextDataBuilder maskInput(String name) {
        this.maskInput = Objects.requireNonNull(name, "maskInput");
        return this;
    }

    /** Validation texts from their own file; replaces a {@link #split}. */
    public TextDataBuilder validation(Path file) {
        this.validation = Objects.requireNonNull(file, "validation");
        this.validationFraction = null;
        return this;
    }

    /** Holds out this fraction of the training texts, stratified by class; replaces a {@link #validation} file. */
    public TextDataBuilder split(double fraction) {
        this.validationFraction = fraction;
        this.validation = null;
        return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public TextDataBuilder batch(int size) {
        this.batch = BuilderChecks.atLeastOne(size, "batch size");
        return this;
    }

    /** The seed of the split, the shuffling and the head's initial weights. */
    public TextDataBuilder seed(long newSeed) {
        this.seed = newSeed;
        return this;
    }

    /**
     * Reads the texts, puts the head on the encoder and loads the tokenizer, which the
     * returned data hold until closed.
     *
     * @throws DatasetException naming the file and line if a text file cannot be read, the
     *     validation texts name other classes, the split leaves a part empty, or the tokenizer
     *     cannot be loaded
     * @throws TrainingException naming the model graph if the head does not fit the encoder or
     *     an encoder input is no token tensor the tokenizer makes
     */
    public FineTuneData prepare() {
        TextDataset trainData = read(train);
        TextDataset validationData = null;
        if (validation != null) {
            validationData = read(validation);
            if (!validationData.classNames().equals(trainData.classNames())) {
                throw new DatasetException(validation + ": names the classes " + validationData.classNames()
                        + " but the training data names " + trainData.classNames());
            }
        } else if (validationFraction != null) {
            TextDataset.Parts parts = trainData.splitStratified(validationFraction, seed);
            trainData = parts.train();
            validationData = parts.validation();
        }
        String hidden = hiddenOutput != null ? hiddenOutput : encoder.graph().outputs().get(0).name();
        Model classifier = ClassifierHead.meanPooled(encoder, hidden, maskInput, trainData.classCount(), seed);
        Set<String> fed = tokenInputs(classifier);
        TextTokenizer tokenizer = tokenizer();
        TextBatchLoader trainBatches;
        TextBatchLoader validationBatches;
        try {
            trainBatches = loader(trainData, tokenizer, fed).shuffle(seed).build();
            validationBatches = validationData == null ? null : loader(validationData, tokenizer, fed).build();
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        ExportAdditions export = new ExportAdditions(null, Optional.empty(), ModelTemplates.LOGITS,
                trainData.classNames());
        return new FineTuneData(classifier, Loss.term(Loss.crossEntropy(), ModelTemplates.LOGITS, FineTune.LABELS),
                Loss.crossEntropy(), List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS), trainBatches,
                validationBatches, trainData.size(), export, null, tokenizer);
    }

    private TextDataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": no such file; text data is a tab-separated file");
        }
        try {
            return TextDatasetReader.of(file, textColumn, labelColumn).read();
        } catch (IOException e) {
            throw new DatasetException(file + ": " + e.getMessage(), e);
        }
    }

    private TextTokenizer tokenizer() {
        try {
            return TextTokenizer.load(tokenizerFile, maxTokens);
        } catch (IOException e) {
            throw new DatasetException("tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
    }

    /** The encoder's inputs, each of which must be a token tensor the tokenizer makes (DistilBERT has no token_type_ids). */
    private Set<String> tokenInputs(Model classifier) {
        List<String> tokens = List.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK, TextTokenizer.TOKEN_TYPE_IDS);
        Set<String> inputs = new LinkedHashSet<>();
        for (Value input : classifier.graph().inputs()) {
            if (!tokens.contains(input.name())) {
                throw new TrainingException("model graph '" + encoder.graph().name() + "': input '" + input.name()
                        + "' is not a token tensor the tokenizer makes " + tokens);
            }
            inputs.add(input.name());
        }
        return inputs;
    }

    private TextBatchLoader.Builder loader(TextDataset data, TextTokenizer tokenizer, Set<String> fed) {
        return TextBatchLoader.builder(data, tokenizer, batch).inputs(fed);
    }
}
