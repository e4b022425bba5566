package dev.tern.spark.bench;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.onnx.OnnxExporter;
import dev.tern.spark.DigitRow;
import dev.tern.spark.DistributedTrainer;
import dev.tern.spark.SessionSetup;
import dev.tern.spark.StepTimes;
import dev.tern.spark.TrainingOutcome;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
import dev.tern.train.models.ModelTemplates;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Training steps per second of {@link DistributedTrainer} on {@code local[2]} (or the master
 * spark-submit gives) with one task and
 * with two, on the digits (all 1,797 rows) and an MLP 64-H-10, and the all-reduce's share of a
 * step. Rounds alternate one and two tasks so machine load hits both alike. Each round reports
 * task 0's steady steps per second (the sum of its steps' phases: gradients, all-reduce, apply)
 * and the whole fit's wall time (Spark scheduling and session compilation included). Run by
 * {@code spark/bench.sh train}.
 *
 * <p>Arguments: hidden width H (default 128), global batch (default 64), epochs (default 3),
 * rounds (default 3).
 */
public final class DistributedTrainingBenchmark {
    private DistributedTrainingBenchmark() {
    }

    public static void main(String[] args) {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Model model = ModelTemplates.mlp(DigitRow.FEATURES, new int[] {hidden}, DigitRow.CLASSES, 3);
        byte[] bytes = OnnxExporter.toBytes(model);
        List<DigitRow> rows = DigitRow.shuffled(1);
        // spark-submit passes its --master as this property; run directly, the benchmark uses local[2].
        SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
                .appName("tern-distributed-training-benchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long parameters = WeightSelection.all(model).stream()
                    .mapToLong(name -> model.graph().initializers().get(name).initializer().elementCount()).sum();
            System.out.printf("MLP 64-%d-10 (%d parameters) on the digits, %s, global batch %d, %d epochs,"
                    + " one ONNX Runtime thread per task%n", hidden, parameters, spark.sparkContext().master(), batch,
                    epochs);
            double[][] rates = new double[2][rounds];
            double[][] shares = new double[2][rounds];
            for (int round = -1; round < rounds; round++) {
                for (int tasks = 1; tasks <= 2; tasks++) {
                    JavaRDD<DigitRow> data = context.parallelize(rows, tasks).cache();
                    data.count();
                    long start = System.nanoTime();
                    TrainingOutcome outcome = DistributedTrainer.builder(setup(), DigitRow::batch).modelBytes(bytes)
                            .globalBatchSize(batch).epochs(epochs).build().fit(data);
                    double wall = (System.nanoTime() - start) / 1e9;
                    data.unpersist();
                    StepTimes times = outcome.times();
                    String label = round < 0 ? "warm-up" : "round " + (round + 1);
                    System.out.printf("%-8s %d task%s: %6.1f steps/s steady, all-reduce %4.1f%% of a step,"
                                    + " %d steps in %.2f s wall (%.1f steps/s), loss %.4f%n", label, tasks,
                            tasks == 1 ? " " : "s", times.stepsPerSecond(), 100 * times.allReduceShare(),
                            outcome.steps(), wall, outcome.steps() / wall, outcome.loss());
                    if (round >= 0) {
                        rates[tasks - 1][round] = times.stepsPerSecond();
                        shares[tasks - 1][round] = times.allReduceShare();
                    }
                }
            }
            for (int tasks = 1; tasks <= 2; tasks++) {
                System.out.printf("median %d task%s: %.1f steps/s, all-reduce %.1f%% of a step%n", tasks,
                        tasks == 1 ? " " : "s", median(rates[tasks - 1]), 100 * median(shares[tasks - 1]));
            }
        } finally {
            spark.stop();
        }
    }

    /** AdamW at a constant 1e-3 over every weight, one ONNX Runtime thread per task. */
    private static SessionSetup setup() {
        return model -> TrainingSession.builder(model, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(WeightSelection.all(model))
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(LearningRateSchedule.constant(1e-3))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
