package dev.tern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentence embeddings of a text column with the pretrained all-MiniLM-L6-v2, in {@code local[2]}. */
class MiniLmEmbeddingTest {
    private static final List<String> SENTENCES = List.of(
            "A man is playing a guitar.",
            "Someone plays an acoustic guitar on stage.",
            "The stock market fell sharply today.",
            "Shares dropped steeply in today's trading session.",
            "A cat sleeps on the windowsill in the sun.",
            "Hi");

    @TempDir
    static Path folder;
    private static Path modelFile;

    private final SparkSession spark = LocalSpark.session();

    @BeforeAll
    static void extract() {
        modelFile = MiniLm.extractModel(folder);
    }

    private Dataset<Row> sentences() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < SENTENCES.size(); i++) {
            rows.add(RowFactory.create(i, SENTENCES.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    private static TernModel encoder() {
        return TernModel.builder().modelFile(modelFile).textInput("text", MiniLm.tokenizerJson(), 128)
                .meanPooledOutput(MiniLm.OUTPUT, "embedding").rowsPerRun(4).build();
    }

    /**
     * Each sentence alone through the executor, no padding, its token states averaged here: the
     * embeddings Spark computes in padded batches must match these.
     */
    private static float[][] oneByOne() throws IOException {
        float[][] embeddings = new float[SENTENCES.size()][];
        try (Runtime runtime = Runtime.create();
             CompiledModel model = runtime.open(modelFile);
             TextTokenizer tokenizer = TextTokenizer.load(new ByteArrayInputStream(MiniLm.tokenizerJson()), 128)) {
            for (int i = 0; i < embeddings.length; i++) {
                Map<String, Tensor> tokens = tokenizer.encode(List.of(SENTENCES.get(i)));
                float[] states = model.run(tokens).get(MiniLm.OUTPUT).toFloatArray();
                int length = states.length / MiniLm.HIDDEN;
                float[] mean = new float[MiniLm.HIDDEN];
                for (int t = 0; t < length; t++) {
                    for (int h = 0; h < MiniLm.HIDDEN; h++) {
                        mean[h] += states[t * MiniLm.HIDDEN + h] / length;
                    }
                }
                embeddings[i] = mean;
            }
        }
        return embeddings;
    }

    private static float[] embedding(Row row) {
        List<Float> values = row.getList(row.fieldIndex("embedding"));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void batchedEmbeddingsMatchEachSentenceRunAlone() throws IOException {
        float[][] expected = oneByOne();
        List<Row> rows = encoder().transform(sentences()).orderBy("id").collectAsList();
        assertEquals(SENTENCES.size(), rows.size());
        for (Row row : rows) {
            int id = row.getInt(0);
            // Padding changes the attention's sums slightly (masked positions add exp(-inf)-ish terms in float).
            assertArrayEquals(expected[id], embedding(row), 1e-4f, "sentence " + id);
        }
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        List<Row> rows = encoder().transform(sentences()).orderBy("id").collectAsList();
        float[][] e = new float[rows.size()][];
        for (Row row : rows) {
            e[row.getInt(0)] = embedding(row);
        }
        assertEquals(MiniLm.HIDDEN, e[0].length);
        assertTrue(cosine(e[0], e[1]) > cosine(e[0], e[2]) + 0.3, "guitar vs guitar " + cosine(e[0], e[1])
                + ", guitar vs stocks " + cosine(e[0], e[2]));
        assertTrue(cosine(e[2], e[3]) > cosine(e[2], e[4]) + 0.3, "stocks vs stocks " + cosine(e[2], e[3])
                + ", stocks vs cat " + cosine(e[2], e[4]));
    }

    @Test
    void aNullTextGoesToTheErrorColumn() {
        StructType schema = new StructType().add("text", DataTypes.StringType);
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create("hello world"), RowFactory.create((Object) null)),
                schema).coalesce(1);
        TernModel model = TernModel.builder().modelFile(modelFile).textInput("text", MiniLm.tokenizerJson(), 16)
                .meanPooledOutput(MiniLm.OUTPUT, "embedding").errorColumn("error").build();
        List<Row> rows = model.transform(data).collectAsList();
        assertEquals(MiniLm.HIDDEN, rows.get(0).getList(1).size());
        assertEquals("column 'text', row 1 of partition 0: is null", rows.get(1).getAs("error"));
    }

    @Test
    void theSqlFunctionEmbedsText() throws IOException {
        encoder().registerFunction(spark, "embed");
        sentences().createOrReplaceTempView("sentences");
        Row row = spark.sql("SELECT embed(text) AS embedding FROM sentences WHERE id = 2").first();
        assertArrayEquals(oneByOne()[2], embedding(row), 1e-4f);
    }
}
