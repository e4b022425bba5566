package dev.tern.spark.internal;

import java.io.Serializable;
import java.util.Set;

/** A text column, the tokenizer's length limit and the token inputs the model takes, before the tokenizer ships. */
public record TextColumn(String column, int maxTokens, Set<String> modelInputs) implements Serializable {
    public TextColumn {
        modelInputs = Set.copyOf(modelInputs);
    }

    public TextInput bind(Source tokenizer) {
        return new TextInput(column, tokenizer, maxTokens, modelInputs);
    }
}
