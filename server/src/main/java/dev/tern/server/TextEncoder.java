package dev.tern.server;

import dev.tern.ir.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into the token tensors of a text model: the tokenizer of one model version, which
 * the server runs when a request sends text instead of tokens. The server defines this
 * interface and does no tokenizing itself; {@code tern serve} implements it with Hugging Face's
 * tokenizers (a {@code tokenizer.json}), and a Java application gives its own through
 * {@link InferenceServer.Builder#textEncoders}.
 *
 * <p>Owned by the model version it serves, which closes it once the version is unloaded and its
 * requests are done. Must be safe to use from several threads at once.
 */
public interface TextEncoder extends AutoCloseable {
    /** The most tokens, special tokens included, that one text may have. */
    int maxTokens();

    /**
     * Tokenizes {@code texts}, one row each, into int64 {@code [texts, tokens]} tensors named as
     * BERT-style models name their inputs ({@code input_ids}, {@code attention_mask} and
     * {@code token_type_ids}), padded to the longest text with
     * attention mask 0 on the padding. A text is never cut.
     *
     * @throws IllegalArgumentException if {@code texts} is empty, or a text has more than
     *     {@link #maxTokens()} tokens; the message names that text by its index
     */
    Map<String, Tensor> encode(List<String> texts);

    /** Releases the tokenizer. Idempotent. */
    @Override
    void close();
}
