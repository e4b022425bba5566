package dev.tern.spark.internal;

import dev.tern.ir.Tensor;
import dev.tern.spark.BadRowException;
import dev.tern.train.data.TextTokenizer;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * A text column fed to a BERT-style encoder through its tokenizer: each batch of texts becomes
 * the token tensors ({@value TextTokenizer#INPUT_IDS}, {@value TextTokenizer#ATTENTION_MASK},
 * {@value TextTokenizer#TOKEN_TYPE_IDS}) the model takes, padded to the batch's longest text.
 */
public final class TextInput implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The tokenizer's outputs, of which the model takes some. */
    public static final List<String> TOKEN_INPUTS =
            List.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK, TextTokenizer.TOKEN_TYPE_IDS);

    private final String column;
    private final Source tokenizer;
    private final int maxTokens;
    private final Set<String> modelInputs;

    /** Feeds {@code column}'s texts, tokenized by {@code tokenizer}, to those of {@link #TOKEN_INPUTS} in {@code modelInputs}. */
    public TextInput(String column, Source tokenizer, int maxTokens, Set<String> modelInputs) {
        this.column = column;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.modelInputs = Set.copyOf(modelInputs);
    }

    public String column() {
        return column;
    }

    /** @throws BadRowException if the text is null or not a string */
    public String read(Row row, int index, String where) {
        if (row.isNullAt(index)) {
            throw new BadRowException("column '" + column + "', " + where + ": is null");
        }
        Object value = row.get(index);
        if (!(value instanceof String text)) {
            throw new BadRowException("column '" + column + "', " + where + ": expected a string, found "
                    + value.getClass().getName());
        }
        return text;
    }

    /**
     * Tokenizes {@code texts} with this JVM's shared tokenizer: the model's token inputs,
     * then (under {@value TextTokenizer#ATTENTION_MASK}, whether the model takes it or not)
     * the mask that output pooling needs.
     */
    public Map<String, Tensor> encode(List<String> texts) {
        Map<String, Tensor> tokens = ExecutorCache.tokenizer(tokenizer, maxTokens).encode(texts);
        Map<String, Tensor> fed = new LinkedHashMap<>();
        for (String input : modelInputs) {
            fed.put(input, tokens.get(input));
        }
        fed.put(TextTokenizer.ATTENTION_MASK, tokens.get(TextTokenizer.ATTENTION_MASK));
        return fed;
    }

    /** Whether the model takes the attention mask (it is in {@link #encode}'s result either way). */
    public boolean feedsMask() {
        return modelInputs.contains(TextTokenizer.ATTENTION_MASK);
    }
}
