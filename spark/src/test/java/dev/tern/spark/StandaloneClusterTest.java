package dev.tern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.onnx.OnnxImporter;
import dev.tern.spark.internal.ExecutorCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TernModel} on a real standalone cluster on loopback: a Master and two one-core
 * Workers, each a JVM of its own, whose executors are JVMs of their own too.
 */
class StandaloneClusterTest {
    private static final int WORKERS = 2;

    @TempDir
    static Path folder;
    private static StandaloneCluster cluster;
    private static SparkSession spark;

    @BeforeAll
    static void startCluster() throws Exception {
        LocalSpark.stop();
        cluster = StandaloneCluster.start(folder, WORKERS);
        spark = SparkSession.builder()
                .master(cluster.masterUrl())
                .appName("tern-standalone-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", "512m")
                .config("spark.cores.max", Integer.toString(WORKERS))
                .config("spark.executor.extraClassPath", StandaloneCluster.classFolders())
                .config("spark.executor.extraJavaOptions", StandaloneCluster.jvmOptions())
                .getOrCreate();
        awaitExecutors();
    }

    /** Waits up to two minutes for both executors (status lists the driver too). */
    private static void awaitExecutors() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < WORKERS + 1) {
            assertTrue(System.nanoTime() < deadline, "the workers' executors did not register; logs in " + folder);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void executorJvmsRunTheModelEachCompilingItOnce() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(RowFactory.create(i, List.of((double) i, -i / 2.0, 1.0)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false));
        Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(8);
        TernModel model = TernModel.builder().modelBytes(AffineModel.bytes()).input("features", "x").output("y", "y")
                .rowsPerRun(16).build();

        List<Row> out = model.transform(data).orderBy("id").collectAsList();
        assertEquals(400, out.size());
        for (Row row : out) {
            int i = row.getInt(0);
            List<Float> y = row.getList(2);
            assertArrayEquals(AffineModel.expected(i, -i / 2.0, 1.0), new float[] {y.get(0), y.get(1), y.get(2)});
        }

        Map<Long, Integer> compilationsByJvm = compilationsByExecutorJvm();
        assertEquals(WORKERS, compilationsByJvm.size(), "executor JVMs " + compilationsByJvm.keySet());
        assertTrue(compilationsByJvm.values().stream().allMatch(n -> n == 1), compilationsByJvm::toString);
        assertNotEquals(ProcessHandle.current().pid(), compilationsByJvm.keySet().iterator().next());
    }

    /**
     * Two executor JVMs train the digits MLP on a global batch split 12/18 between them, and end
     * where one process does (tolerance as in {@link DistributedTrainerTest}: float32 sums in
     * another order).
     */
    @Test
    void executorJvmsTrainTogetherAsOneProcess() {
        List<DigitRow> rows = DigitRow.shuffled(1).subList(0, 30);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingOutcome outcome = DistributedTrainer.builder(DigitsMlp.constantRate(1e-2), DigitRow::batch)
                .modelBytes(DigitsMlp.bytes()).globalBatchSize(30).epochs(5).build()
                .fit(DistributedTrainerTest.twoPartitions(context, rows, 12));
        assertEquals(WORKERS, outcome.tasks());
        assertEquals(5, outcome.steps());
        DigitsMlp.Trained alone = DigitsMlp.trainAlone(rows, 5, 1e-2);
        double largest = DigitsMlp.maxDifference(alone.weights(),
                DigitsMlp.weights(OnnxImporter.read(outcome.model().orElseThrow())));
        assertTrue(largest <= 1e-5, "weights differ by up to " + largest);
    }

    /** Each executor JVM's process id and how many models it compiled, from enough tasks to reach both. */
    private static Map<Long, Integer> compilationsByExecutorJvm() {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            slots.add(i);
        }
        Map<Long, Integer> byJvm = new HashMap<>();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (long[] report : context.parallelize(slots, 16).mapPartitions(StandaloneClusterTest::report).collect()) {
            byJvm.put(report[0], (int) report[1]);
        }
        return byJvm;
    }

    private static Iterator<long[]> report(Iterator<Integer> ignored) throws InterruptedException {
        // Long enough that one executor cannot take every task before the other starts one.
        Thread.sleep(200);
        return List.of(new long[] {ProcessHandle.current().pid(), ExecutorCache.compilations()}).iterator();
    }
}
