package dev.tern.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Opens the {@link TextEncoder} of a model version from the tokenizer file beside its model
 * ({@code <model>/<version>/tokenizer.json}). Given to {@link InferenceServer.Builder#textEncoders};
 * called while a version loads.
 */
@FunctionalInterface
public interface TextEncoderFactory {
    /**
     * An encoder for {@code tokenizerFile}, owned by the caller.
     *
     * @param maxTokens the most tokens a text may have when the model or its configuration fixes
     *     it; when empty, the tokenizer file's own limit
     * @throws IOException if the file cannot be read, is no tokenizer definition, or (with
     *     {@code maxTokens} empty) names no limit
     */
    TextEncoder open(Path tokenizerFile, OptionalInt maxTokens) throws IOException;
}
