package dev.tern.train.data;

import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading labelled texts, tokenizing them with all-MiniLM-L6-v2's tokenizer.json, and batching them. */
class TextDataTest {
    @TempDir
    Path temporary;

    private Path write(String content) throws IOException {
        Path file = temporary.resolve("texts.tsv");
        Files.writeString(file, content);
        return file;
    }

    private static TextTokenizer tokenizer(int maxTokens) throws IOException {
        try (InputStream in = TextDataTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            return TextTokenizer.load(in, maxTokens);
        }
    }

    @Test
    void classesAreNumberedInNameOrderWhateverTheLineOrder() throws IOException {
        Path file = write("id\tlabel\ttext\n1\tspam\tWin a prize, now!\n2\tham\tLunch at noon?\n\n3\tspam\tFree \"money\"\n");

        TextDataset data = TextDatasetReader.of(file, "text", "label").read();

        assertEquals(List.of("ham", "spam"), data.classNames());
        assertEquals(3, data.size());
        assertEquals("Win a prize, now!", data.text(0));
        assertEquals(1, data.classLabel(0));
        assertEquals(0, data.classLabel(1));
        assertEquals("Free \"money\"", data.text(2));
    }

    @Test
    void badFilesNameTheFileAndLine() throws IOException {
        Path missingColumn = write("label\tsentence\na\tx\n");
        DatasetException noColumn = assertThrows(DatasetException.class,
                () -> TextDatasetReader.of(missingColumn, "text", "label").read());
        assertTrue(noColumn.getMessage().contains(missingColumn + ": line 1: no text column 'text'"), noColumn.getMessage());

        Path shortRow = write("label\ttext\na\tfirst\nb\n");
        DatasetException cells = assertThrows(DatasetException.class,
                () -> TextDatasetReader.of(shortRow, "text", "label").read());
        assertTrue(cells.getMessage().contains("line 3: expected 2 tab-separated cells"), cells.getMessage());

        Path emptyLabel = write("label\ttext\na\tfirst\n \tsecond\n");
        DatasetException label = assertThrows(DatasetException.class,
                () -> TextDatasetReader.of(emptyLabel, "text", "label").read());
        assertTrue(label.getMessage().contains("line 3: column 'label' is empty"), label.getMessage());

        Path oneClass = write("label\ttext\na\tfirst\na\tsecond\n");
        DatasetException classes = assertThrows(DatasetException.class,
                () -> TextDatasetReader.of(oneClass, "text", "label").read());
        assertTrue(classes.getMessage().contains("needs at least 2"), classes.getMessage());
    }

    @Test
    void stratifiedSplitKeepsEveryClassInBothParts() throws IOException {
        List<String> texts = new ArrayList<>();
        long[] labels = new long[40];
        for (int i = 0; i < 40; i++) {
            texts.add("text " + i);
            labels[i] = i % 4;
        }
        TextDataset.Parts parts = TextDataset.of(texts, labels, List.of("a", "b", "c", "d")).splitStratified(0.25, 1);

        // A quarter of each class of 10, rounded half up: 3 of each.
        assertEquals(28, parts.train().size());
        assertEquals(12, parts.validation().size());
        long[] perClass = new long[4];
        for (int i = 0; i < parts.validation().size(); i++) {
            perClass[(int) parts.validation().classLabel(i)]++;
        }
        assertArrayEquals(new long[] {3, 3, 3, 3}, perClass);
    }

    @Test
    void tokensArePaddedToTheLongestTextAndMasked() throws IOException {
        try (TextTokenizer tokenizer = tokenizer(128)) {
            Map<String, Tensor> tokens = tokenizer.encode(List.of("hello world", "hello world, hello again"));

            assertEquals(List.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK, TextTokenizer.TOKEN_TYPE_IDS),
                    List.copyOf(tokens.keySet()));
            // [CLS] hello world [SEP] [PAD]... and [CLS] hello world , hello again [SEP]: BERT's uncased vocabulary.
            assertArrayEquals(new long[] {2, 7}, tokens.get(TextTokenizer.INPUT_IDS).dims());
            assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0, 0, 101, 7592, 2088, 1010, 7592, 2153, 102},
                    tokens.get(TextTokenizer.INPUT_IDS).toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1},
                    tokens.get(TextTokenizer.ATTENTION_MASK).toLongArray());
            assertArrayEquals(new long[14], tokens.get(TextTokenizer.TOKEN_TYPE_IDS).toLongArray());
        }
    }

    @Test
    void longTextsAreCutAtMaxTokensKeepingTheSeparator() throws IOException {
        try (TextTokenizer tokenizer = tokenizer(4)) {
            long[] ids = tokenizer.encode(List.of("one two three four five six")).get(TextTokenizer.INPUT_IDS).toLongArray();
            assertEquals(4, ids.length);
            assertEquals(101, ids[0]);
            assertEquals(102, ids[3]);
        }
    }

    @Test
    void encodeWholeRefusesTheFirstTooLongTextAndKeepsTheRest() throws IOException {
        try (TextTokenizer tokenizer = tokenizer(4)) {
            // [CLS] one two [SEP] fits exactly; [CLS] one two three [SEP] is one token too many.
            List<String> fitting = List.of("one two", "one");
            assertArrayEquals(tokenizer.encode(fitting).get(TextTokenizer.INPUT_IDS).toLongArray(),
                    tokenizer.encodeWhole(fitting).get(TextTokenizer.INPUT_IDS).toLongArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tokenizer.encodeWhole(List.of("one two", "one two three", "one two three four")));
            assertEquals("text 1 has more than 4 tokens (special tokens included)", e.getMessage());
        }
    }

    @Test
    void withoutAMaximumTheFilesOwnTruncationLengthApplies() throws IOException {
        Path file = temporary.resolve("tokenizer.json");
        try (InputStream in = TextDataTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, file);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
            assertEquals(128, tokenizer.maxTokens());
        }
        String definition = Files.readString(file);
        Path shorter = temporary.resolve("shorter.json");
        Files.writeString(shorter, definition.replaceFirst("\"max_length\": 128", "\"max_length\": 5"));
        try (TextTokenizer tokenizer = TextTokenizer.load(shorter)) {
            assertEquals(5, tokenizer.maxTokens());
            assertThrows(IllegalArgumentException.class, () -> tokenizer.encodeWhole(List.of("one two three four")));
        }
        Path tooShort = temporary.resolve("too-short.json");
        Files.writeString(tooShort, definition.replaceFirst("\"max_length\": 128", "\"max_length\": 1"));
        IOException e = assertThrows(IOException.class, () -> TextTokenizer.load(tooShort));
        assertTrue(e.getMessage().startsWith(tooShort + ": its truncation 'max_length' 1 leaves no room"),
                e.getMessage());
    }

    @Test
    void aFileThatIsNotATokenizerFailsAsIo() throws IOException {
        Path notATokenizer = write("{\"hello\": 1}");
        IOException e = assertThrows(IOException.class, () -> TextTokenizer.load(notATokenizer, 8));
        assertTrue(e.getMessage().startsWith(notATokenizer + ": not a tokenizer definition"), e.getMessage());
    }

    @Test
    void batchesFeedTheChosenTokenTensorsAndLabelsInARepeatableOrder() throws IOException {
        TextDataset data = TextDataset.of(List.of("a", "b c", "d e f", "g", "h i"), new long[] {0, 1, 0, 1, 1},
                List.of("x", "y"));
        try (TextTokenizer tokenizer = tokenizer(16)) {
            TextBatchLoader loader = TextBatchLoader.builder(data, tokenizer, 2).shuffle(3)
                    .inputs(Set.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK)).build();

            assertEquals(3, loader.batchCount());
            List<Long> labels = new ArrayList<>();
            List<Long> again = new ArrayList<>();
            for (Feed feed : loader.epoch(1)) {
                assertEquals(Set.of(TextTokenizer.INPUT_IDS, TextTokenizer.ATTENTION_MASK), feed.inputs().keySet());
                assertEquals(feed.size(), feed.inputs().get(TextTokenizer.INPUT_IDS).dims()[0]);
                for (long label : feed.labels().toLongArray()) {
                    labels.add(label);
                }
            }
            for (Feed feed : loader.epoch(1)) {
                for (long label : feed.labels().toLongArray()) {
                    again.add(label);
                }
            }
            assertEquals(labels, again);
            assertEquals(3, labels.stream().filter(label -> label == 1).count());
        }
        DatasetException badName = assertThrows(DatasetException.class,
                () -> TextBatchLoader.builder(data, tokenizer(8), 2).inputs(Set.of("pixel_values")));
        assertTrue(badName.getMessage().contains("'pixel_values' is not a token tensor"), badName.getMessage());
    }
}
