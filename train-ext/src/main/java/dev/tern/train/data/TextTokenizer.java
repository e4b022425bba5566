package dev.tern.train.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tern.ir.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns texts into the token tensors a BERT-style encoder takes, with the tokenizer the model
 * was trained with (a Hugging Face {@code tokenizer.json}: WordPiece, BPE or Unigram, with its
 * normalizer and special tokens), run by Hugging Face's own tokenizers library through DJL.
 *
 * <p>{@link #encode} gives {@value #INPUT_IDS}, {@value #ATTENTION_MASK} and
 * {@value #TOKEN_TYPE_IDS}, each int64 {@code [texts, tokens]}: the texts are truncated to
 * the maximum length and padded to the longest of them, with mask 0 on the padding. Holds
 * native memory: close it. Safe to use from several threads.
 */
public final class TextTokenizer implements AutoCloseable {
    /** The token ids' input name in BERT-style models. */
    public static final String INPUT_IDS = "input_ids";
    /** The attention mask's input name: 1 for tokens, 0 for padding. */
    public static final String ATTENTION_MASK = "attention_mask";
    /** The segment ids' input name (0 for a single sentence). */
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads {@code tokenizerJson}; texts longer than {@code maxTokens} tokens (special tokens
     * included) are cut.
     *
     * @throws IllegalArgumentException if {@code maxTokens} is below 2
     * @throws IOException if the file cannot be read or is not a tokenizer definition
     */
    public static TextTokenizer load(Path tokenizerJson, int maxTokens) throws IOException {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        return load(tokenizerJson + ": ", options -> HuggingFaceTokenizer.newInstance(tokenizerJson, options), maxTokens);
    }

    /**
     * Loads {@code tokenizerJson} with the maximum length its own truncation setting names
     * ({@code "truncation": {"max_length": N}}, 128 for MiniLM's); for a file without one, DJL's
     * default of 512 tokens, BERT's limit.
     *
     * @throws IOException if the file cannot be read, is not a tokenizer definition, or names a
     *     maximum length below 2
     */
    public static TextTokenizer load(Path tokenizerJson) throws IOException {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        int declared;
        try (HuggingFaceTokenizer definition = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of())) {
            declared = definition.getMaxLength();
        } catch (RuntimeException e) {
            throw new IOException(tokenizerJson + ": not a tokenizer definition: " + e.getMessage(), e);
        }
        if (declared < 2) {
            throw new IOException(tokenizerJson + ": its truncation 'max_length' " + declared
                    + " leaves no room for the special tokens (>= 2)");
        }
        return load(tokenizerJson, declared);
    }

    /** Like {@link #load(Path, int)}, reading the definition from {@code tokenizerJson} (not closed). */
    public static TextTokenizer load(InputStream tokenizerJson, int maxTokens) throws IOException {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        return load("", options -> HuggingFaceTokenizer.newInstance(tokenizerJson, options), maxTokens);
    }

    private static TextTokenizer load(String source, Loader loader, int maxTokens) throws IOException {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for the special tokens (>= 2), found " + maxTokens);
        }
        // "padding=true" pads to the longest text of each call, which keeps short batches short.
        Map<String, String> options = Map.of("maxLength", Integer.toString(maxTokens), "truncation", "true",
                "padding", "true");
        try {
            return new TextTokenizer(loader.load(options), maxTokens);
        } catch (RuntimeException e) {
            throw new IOException(source + "not a tokenizer definition: " + e.getMessage(), e);
        }
    }

    /** The most tokens an encoded text keeps. */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * Tokenizes {@code texts} into {@value #INPUT_IDS}, {@value #ATTENTION_MASK} and
     * {@value #TOKEN_TYPE_IDS}, in that order.
     *
     * @throws IllegalArgumentException if {@code texts} is empty
     */
    public Map<String, Tensor> encode(List<String> texts) {
        return tensors(batchEncode(texts));
    }

    /**
     * Like {@link #encode}, but refuses a text longer than {@link #maxTokens()} instead of cutting it.
     *
     * @throws IllegalArgumentException if {@code texts} is empty or a text is too long; the
     *     message names the first such text by its index
     */
    public Map<String, Tensor> encodeWhole(List<String> texts) {
        Encoding[] encodings = batchEncode(texts);
        for (int i = 0; i < encodings.length; i++) {
            if (encodings[i].exceedMaxLength()) {
                throw new IllegalArgumentException("text " + i + " has more than " + maxTokens
                        + " tokens (special tokens included)");
            }
        }
        return tensors(encodings);
    }

    private Encoding[] batchEncode(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to encode");
        }
        return tokenizer.batchEncode(texts);
    }

    private static Map<String, Tensor> tensors(Encoding[] encodings) {
        int length = encodings[0].getIds().length;
        long[] ids = new long[encodings.length * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int i = 0; i < encodings.length; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, length);
        }
        long[] dims = {encodings.length, length};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put(INPUT_IDS, Tensor.ofLongs(INPUT_IDS, dims, ids));
        tensors.put(ATTENTION_MASK, Tensor.ofLongs(ATTENTION_MASK, dims, mask));
        tensors.put(TOKEN_TYPE_IDS, Tensor.ofLongs(TOKEN_TYPE_IDS, dims, types));
        return tensors;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Makes DJL's tokenizer from one source with the given options. */
    private interface Loader {
        HuggingFaceTokenizer load(Map<String, String> options) throws IOException;
    }
}
