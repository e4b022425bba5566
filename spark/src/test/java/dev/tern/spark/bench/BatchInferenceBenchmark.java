package dev.tern.spark.bench;

import dev.tern.spark.TernModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second of MiniLM sentence embeddings on {@code local[2]}: {@link TernModel} against
 * {@link RawOrtEmbedding}, a hand-written {@code mapPartitions} over ONNX Runtime's Java API.
 * Both run in the same JVM, alternating round by round, so that machine load hits both alike;
 * each round writes every embedding to Spark's no-op sink, which computes them all and keeps
 * none. Prints each round and the medians. Run by {@code spark/bench.sh}.
 *
 * <p>Arguments: rows (default 4000), rounds (default 5), rows per run (default 64).
 */
public final class BatchInferenceBenchmark {
    private static final int MAX_TOKENS = 64;
    private static final String[] WORDS = ("the a quick brown fox jumps over lazy dog market shares fell sharply today"
            + " guitar music stage cat sleeps window sun rain city river mountain train station coffee morning"
            + " paper model data engine fast slow bright dark north south").split(" ");

    private BatchInferenceBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rowsPerRun = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path folder = Files.createTempDirectory("tern-spark-bench");
        Path model = extract("/all-minilm-l6-v2.onnx", folder.resolve("model.onnx"));
        byte[] tokenizer = Files.readAllBytes(extract("/all-minilm-l6-v2-tokenizer.json",
                folder.resolve("tokenizer.json")));
        SparkSession spark = SparkSession.builder().master("local[2]").appName("tern-batch-inference-benchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> sentences = sentences(spark, rows).cache();
            sentences.count();
            TernModel tern = TernModel.builder().modelFile(model).textInput("text", tokenizer, MAX_TOKENS)
                    .meanPooledOutput("last_hidden_state", "embedding").rowsPerRun(rowsPerRun).build();
            RawOrtEmbedding raw = new RawOrtEmbedding(model.toString(), tokenizer, MAX_TOKENS, rowsPerRun);
            StructType rawSchema = new StructType().add("id", DataTypes.IntegerType)
                    .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false));
            double[] ternRates = new double[rounds];
            double[] rawRates = new double[rounds];
            System.out.printf("MiniLM on local[2], %d rows, %d rows per run, %d max tokens%n", rows, rowsPerRun,
                    MAX_TOKENS);
            for (int round = -1; round < rounds; round++) {
                double ternRate = rowsPerSecond(rows, () -> tern.transform(sentences));
                double rawRate = rowsPerSecond(rows,
                        () -> sentences.mapPartitions(raw, Encoders.row(rawSchema)));
                if (round >= 0) {
                    ternRates[round] = ternRate;
                    rawRates[round] = rawRate;
                    System.out.printf("round %d: Tern %.1f rows/s, raw ORT %.1f rows/s%n", round, ternRate, rawRate);
                }
            }
            double ternMedian = median(ternRates);
            double rawMedian = median(rawRates);
            System.out.printf("median: Tern %.1f rows/s, raw ORT mapPartitions %.1f rows/s, time ratio Tern/raw %.3f%n",
                    ternMedian, rawMedian, rawMedian / ternMedian);
        } finally {
            spark.stop();
        }
    }

    private static double rowsPerSecond(int rows, java.util.function.Supplier<Dataset<Row>> job) {
        long start = System.nanoTime();
        job.get().write().format("noop").mode("overwrite").save();
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    /** Sentences of 5 to 24 words from a fixed vocabulary, the same every run. */
    private static Dataset<Row> sentences(SparkSession spark, int rows) {
        Random random = new Random(42);
        List<Row> data = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0, n = 5 + random.nextInt(20); w < n; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            data.add(RowFactory.create(i, text.toString()));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        return spark.createDataFrame(data, schema).repartition(2);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Path extract(String resource, Path file) throws IOException {
        try (InputStream in = BatchInferenceBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path; the langchain4j MiniLM test jar provides it");
            }
            Files.copy(in, file);
            return file;
        }
    }
}
