package dev.tern.cli.internal;

import dev.tern.ir.Tensor;
import dev.tern.server.TextEncoder;
import dev.tern.train.data.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The server's {@link TextEncoder} over train-ext's {@link TextTokenizer} (Hugging Face's
 * tokenizers through DJL): how {@code tern serve} tokenizes the texts sent to a model version
 * with a {@code tokenizer.json}. Texts are never cut; a longer one is refused.
 */
public final class TokenizerTextEncoder implements TextEncoder {
    private final TextTokenizer tokenizer;

    private TokenizerTextEncoder(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * The encoder of {@code tokenizerJson}, allowing {@code maxTokens} tokens a text, or when
     * empty as many as the file's own truncation length; a {@link dev.tern.server.TextEncoderFactory}.
     *
     * @throws IOException if the file cannot be read or is no tokenizer definition
     * @throws IllegalArgumentException if {@code maxTokens} is below 2
     */
    public static TokenizerTextEncoder open(Path tokenizerJson, OptionalInt maxTokens) throws IOException {
        return new TokenizerTextEncoder(maxTokens.isPresent()
                ? TextTokenizer.load(tokenizerJson, maxTokens.getAsInt())
                : TextTokenizer.load(tokenizerJson));
    }

    @Override
    public int maxTokens() {
        return tokenizer.maxTokens();
    }

    @Override
    public Map<String, Tensor> encode(List<String> texts) {
        return tokenizer.encodeWhole(texts);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
