package dev.tern.server.internal.repository;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.TextEncoder;
import dev.tern.server.TextEncoderFactory;
import dev.tern.server.internal.Signature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How a model version takes text: the {@link TextEncoder} of the {@value #FILE} beside its model
 * file, or why it has none. A version with a tokenizer is a text model: its inputs must be token
 * inputs ({@code input_ids}, optionally {@code attention_mask} and {@code token_type_ids}, all
 * int64). The most tokens a text may have is the sequence length the model's {@code input_ids}
 * fix, else {@code config.json}'s {@code max_sequence_length}, else the tokenizer file's own
 * limit; a longer text is refused, never cut. With a fixed sequence length every text is padded
 * to it (ids, mask and segments 0 on the padding).
 *
 * <p>Owns its encoder once made: {@link #close()} closes it.
 */
public final class VersionTokenizer implements AutoCloseable {
    /** The tokenizer's file name in a version folder. */
    public static final String FILE = "tokenizer.json";
    private static final String INPUT_IDS = "input_ids";
    private static final Set<String> TOKEN_INPUTS = Set.of(INPUT_IDS, "attention_mask", "token_type_ids");

    private final String model;
    private final TextEncoder encoder;
    private final String whyNone;
    private final List<Signature> inputs;
    private final OptionalInt fixedLength;

    private VersionTokenizer(String model, TextEncoder encoder, String whyNone, List<Signature> inputs,
                             OptionalInt fixedLength) {
        this.model = model;
        this.encoder = encoder;
        this.whyNone = whyNone;
        this.inputs = inputs;
        this.fixedLength = fixedLength;
    }

    /** A version that takes no text, {@code whyNone} saying why ("it has no tokenizer.json ..."). */
    static VersionTokenizer none(String model, String whyNone) {
        return new VersionTokenizer(model, null, whyNone, List.of(), OptionalInt.empty());
    }

    /**
     * The tokenizer of the version in {@code versionFolder} whose served inputs are {@code inputs},
     * or none when the folder has no {@value #FILE} or the server has no {@code factory}.
     *
     * @param model names the version in messages ("model 'm' version 1")
     * @param root the repository folder, a real path, that the tokenizer file may not leave
     * @throws IllegalArgumentException if the tokenizer file links outside the repository, the
     *     model's inputs are not token inputs, its fixed sequence length contradicts the config's,
     *     or the config sets {@code max_sequence_length} for a version without a tokenizer
     * @throws IOException if the factory cannot open the tokenizer file
     */
    static VersionTokenizer load(String model, Path versionFolder, Path root, List<Signature> inputs,
                                 ModelConfig config, Optional<TextEncoderFactory> factory) throws IOException {
        Path file = versionFolder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            if (config.maxSequenceLength().isPresent()) {
                throw new IllegalArgumentException(model + ": config.json sets 'max_sequence_length' but "
                        + versionFolder + " has no " + FILE + " to tokenize texts with");
            }
            return none(model, "it has no " + FILE + " beside its model file");
        }
        if (!file.toRealPath().startsWith(root)) {
            throw new IllegalArgumentException(file + " links outside the model repository " + root);
        }
        if (factory.isEmpty()) {
            return none(model, "it has a " + FILE + ", but this server was started without a text encoder"
                    + " (tern serve has one; in Java, give one to InferenceServer.Builder.textEncoders)");
        }
        requireTokenInputs(model, file, inputs);
        OptionalInt fixedLength = fixedLength(inputs);
        OptionalInt configured = config.maxSequenceLength();
        if (fixedLength.isPresent() && configured.isPresent() && fixedLength.getAsInt() != configured.getAsInt()) {
            throw new IllegalArgumentException(model + ": config.json's 'max_sequence_length' is "
                    + configured.getAsInt() + " but the model's input '" + INPUT_IDS + "' fixes "
                    + fixedLength.getAsInt() + " tokens");
        }
        OptionalInt limit = fixedLength.isPresent() ? fixedLength : configured;
        return new VersionTokenizer(model, factory.get().open(file, limit), null, inputs, fixedLength);
    }

    /** Whether this version takes text. */
    public boolean takesText() {
        return encoder != null;
    }

    /** The most tokens a text may have, when this version {@link #takesText()}. */
    public OptionalInt maxTokens() {
        return encoder == null ? OptionalInt.empty() : OptionalInt.of(encoder.maxTokens());
    }

    /**
     * The model's inputs for {@code texts}, one row each, keyed by input name.
     *
     * @throws StatusException INVALID_ARGUMENT naming the model if it takes no text (and why), or a
     *     text is longer than {@link #maxTokens()} or the texts do not fit the model's input shape
     */
    public Map<String, Tensor> encode(List<String> texts) {
        if (encoder == null) {
            throw invalid(model + " takes no text: " + whyNone);
        }
        Map<String, Tensor> tokens;
        try {
            tokens = encoder.encode(texts);
        } catch (IllegalArgumentException e) {
            throw invalid(model + ": " + e.getMessage() + "; the server refuses such texts rather than cut them");
        }
        Map<String, Tensor> encoded = new LinkedHashMap<>();
        for (Signature input : inputs) {
            Tensor tensor = tokens.get(input.name());
            if (tensor == null) {
                throw new IllegalStateException(model + ": the text encoder gave " + tokens.keySet()
                        + " without the model's input '" + input.name() + "'");
            }
            Tensor fitted = fixedLength.isPresent() ? padded(tensor, fixedLength.getAsInt()) : tensor;
            if (!input.accepts(fitted.dims())) {
                throw invalid(model + ": " + texts.size() + " texts give input '" + input.name() + "' the shape "
                        + Arrays.toString(fitted.dims()) + ", but the model takes " + input.shapeText());
            }
            encoded.put(input.name(), fitted);
        }
        return encoded;
    }

    /** Closes the encoder, if any. Idempotent. */
    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    private static void requireTokenInputs(String model, Path file, List<Signature> inputs) {
        boolean tokens = inputs.stream().anyMatch(input -> input.name().equals(INPUT_IDS))
                && inputs.stream().allMatch(input -> TOKEN_INPUTS.contains(input.name())
                        && input.elementType() == ElementType.INT64);
        if (!tokens) {
            throw new IllegalArgumentException(file + " makes " + model + " a text model, but its inputs "
                    + inputs + " are not token inputs: '" + INPUT_IDS + "' and optionally 'attention_mask' and"
                    + " 'token_type_ids', all INT64");
        }
    }

    /** The sequence length {@code input_ids: [batch, tokens]} fixes, if it does. */
    private static OptionalInt fixedLength(List<Signature> inputs) {
        for (Signature input : inputs) {
            if (input.name().equals(INPUT_IDS) && input.rankKnown() && input.shape().length == 2
                    && input.shape()[1] >= 0) {
                return OptionalInt.of((int) input.shape()[1]);
            }
        }
        return OptionalInt.empty();
    }

    /** {@code tokens}, int64 {@code [texts, n]} with {@code n <= length}, padded with zeros to {@code [texts, length]}. */
    private static Tensor padded(Tensor tokens, int length) {
        long[] dims = tokens.dims();
        int rows = (int) dims[0];
        int width = (int) dims[1];
        if (width == length) {
            return tokens;
        }
        long[] values = tokens.toLongArray();
        long[] wide = new long[rows * length];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(values, row * width, wide, row * length, width);
        }
        return Tensor.ofLongs(tokens.name(), new long[] {rows, length}, wide);
    }

    private static StatusException invalid(String message) {
        return Status.invalidArgument(message).asException();
    }
}
