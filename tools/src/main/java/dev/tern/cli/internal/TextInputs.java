package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.Loss;
import dev.tern.train.TrainingException;
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
import java.util.Optional;
import java.util.Set;

/**
 * {@code tern finetune}'s text path: labelled texts from tab-separated files, tokenized with
 * the model's {@code tokenizer.json}, and a mean-pooling classification head put on the
 * encoder, sized to the classes the training data names (their names go into the written
 * model's metadata). Problems with the files are bad
 * usage (exit 2), with the reader's message naming the file and line.
 */
final class TextInputs {
    private final Path modelFile;
    private final String textColumn;
    private final String labelColumn;
    private final Path tokenizerFile;
    private final int maxTokens;
    private final String hiddenOutput;
    private final String maskInput;

    /**
     * @param hiddenOutput the encoder output holding the hidden states, or null for its first output
     */
    TextInputs(Path modelFile, String textColumn, String labelColumn, Path tokenizerFile, int maxTokens,
               String hiddenOutput, String maskInput) {
        this.modelFile = modelFile;
        this.textColumn = textColumn;
        this.labelColumn = labelColumn;
        this.tokenizerFile = tokenizerFile;
        this.maxTokens = maxTokens;
        this.hiddenOutput = hiddenOutput;
        this.maskInput = maskInput;
    }

    /**
     * The classifier and its batches: {@code validation} is a file, or null with
     * {@code validationFraction} (or neither).
     *
     * @throws CliFailure (usage) if a file cannot be read or does not fit the encoder
     */
    TrainingInputs prepare(Model encoder, Path train, Path validation, Double validationFraction, int batch, long seed) {
        TextDataset trainData = read(train);
        TextDataset validationData = null;
        if (validation != null) {
            validationData = read(validation);
            if (!validationData.classNames().equals(trainData.classNames())) {
                throw CliFailure.usage(validation, "names the classes " + validationData.classNames()
                        + " but the training data names " + trainData.classNames());
            }
        } else if (validationFraction != null) {
            try {
                TextDataset.Parts parts = trainData.splitStratified(validationFraction, seed);
                trainData = parts.train();
                validationData = parts.validation();
            } catch (DatasetException e) {
                throw CliFailure.usage("--split: " + OneLine.of(e), e);
            }
        }
        Model classifier = classifier(encoder, trainData.classCount(), seed);
        TextTokenizer tokenizer = tokenizer();
        Set<String> fed = tokenInputs(classifier);
        TextBatchLoader trainBatches = loader(trainData, tokenizer, batch, fed).shuffle(seed).build();
        TextBatchLoader validationBatches = validationData == null ? null
                : loader(validationData, tokenizer, batch, fed).build();
        ExportAdditions export = new ExportAdditions(null, Optional.empty(), ModelTemplates.LOGITS, trainData.classNames());
        return new TrainingInputs(classifier, TrainingInputs.againstLabels(Loss.crossEntropy(), ModelTemplates.LOGITS),
                Loss.crossEntropy(),
                List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS),
                trainBatches, validationBatches, trainData.size(), export, tokenizer);
    }

    private TextDataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliFailure.usage(file, "no such file; text data is a tab-separated file");
        }
        try {
            return TextDatasetReader.of(file, textColumn, labelColumn).read();
        } catch (IOException | DatasetException e) {
            throw CliFailure.usage(OneLine.of(e), e);
        }
    }

    private Model classifier(Model encoder, int classes, long seed) {
        String hidden = hiddenOutput != null ? hiddenOutput : encoder.graph().outputs().get(0).name();
        try {
            return ClassifierHead.meanPooled(encoder, hidden, maskInput, classes, seed);
        } catch (TrainingException e) {
            throw CliFailure.usage(modelFile + ": " + OneLine.of(e), e);
        }
    }

    private TextTokenizer tokenizer() {
        try {
            return TextTokenizer.load(tokenizerFile, maxTokens);
        } catch (IOException e) {
            throw CliFailure.usage("--tokenizer " + tokenizerFile + ": " + OneLine.of(e), e);
        }
    }

    /** The encoder's inputs, each of which must be a token tensor the tokenizer makes (DistilBERT has no token_type_ids). */
    private Set<String> tokenInputs(Model classifier) {
        List<String> tokens = List.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK, TextTokenizer.TOKEN_TYPE_IDS);
        Set<String> inputs = new LinkedHashSet<>();
        for (Value input : classifier.graph().inputs()) {
            if (!tokens.contains(input.name())) {
                throw CliFailure.usage(modelFile + ": input '" + input.name() + "' is not a token tensor the tokenizer makes "
                        + tokens);
            }
            inputs.add(input.name());
        }
        return inputs;
    }

    private static TextBatchLoader.Builder loader(TextDataset data, TextTokenizer tokenizer, int batch, Set<String> fed) {
        return TextBatchLoader.builder(data, tokenizer, batch).inputs(fed);
    }
}
