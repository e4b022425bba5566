package dev.tern.compress.quantize;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code tools/bench.sh quantize} prints beside its JMH latencies: fp32 all-MiniLM-L6-v2,
 * ONNX Runtime's int8 version and Tern's, compared on every sentence of {@code data/sentences.txt}
 * (mean and least cosine of mean-pooled embeddings to fp32's, file sizes), then one inference of
 * each at 1 thread, batch 1, 128 tokens, the three models taking turns run by run for a fixed
 * time, so that whatever else the machine does slows them alike; it prints the median of each,
 * Tern's over ONNX Runtime's (as a ratio of medians, and as the median of each round's ratio,
 * which a change in the machine's load during the run affects least), and the load average
 * before and after.
 *
 * <p>Dynamic quantization calibrates nothing, so every sentence is evaluation data. Run with the
 * compress module's test class path and {@code -Dtern.root=CHECKOUT}:
 * {@code MiniLmQuantizationComparison FP32.onnx ORT_INT8.onnx TERN_INT8.onnx [SECONDS]}.
 */
final class MiniLmQuantizationComparison {
    private static final int SENTENCES = 500;
    private static final int WARMUP_ROUNDS = 20;
    private static final int MAX_ROUNDS = 4096;

    private MiniLmQuantizationComparison() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            throw new IllegalArgumentException("usage: MiniLmQuantizationComparison FP32.onnx ORT_INT8.onnx"
                    + " TERN_INT8.onnx [SECONDS], found " + Arrays.toString(args));
        }
        List<Path> files = List.of(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        List<String> names = List.of("fp32", "ONNX Runtime int8", "Tern int8");
        double seconds = args.length == 4 ? Double.parseDouble(args[3]) : 60;

        List<String> sentences = MiniLmEmbeddings.sentences(SENTENCES);
        List<Map<String, Tensor>> tokens = MiniLmEmbeddings.tokens(sentences);
        float[][] reference = MiniLmEmbeddings.embed(files.get(0), tokens);
        System.out.printf("all-MiniLM-L6-v2, %d sentences of data/sentences.txt, cosine of mean-pooled embeddings"
                + " to fp32's%n| model | file | mean cosine | min cosine |%n| --- | ---: | ---: | ---: |%n",
                sentences.size());
        for (int m = 0; m < files.size(); m++) {
            double[] cosines = MiniLmEmbeddings.cosines(reference, MiniLmEmbeddings.embed(files.get(m), tokens));
            System.out.printf("| %s | %,d B | %.5f | %.5f |%n", names.get(m), Files.size(files.get(m)),
                    Arrays.stream(cosines).average().orElseThrow(), Arrays.stream(cosines).min().orElseThrow());
        }

        // The sentences run together and cut at 128 tokens: real text of the benchmarked length.
        Map<String, Tensor> input = MiniLmEmbeddings.tokens(List.of(String.join(" ", sentences))).get(0);
        System.out.printf("%nlatency, 1 thread, batch 1, %d tokens, the models in turn for %.0f s; load average %s%n",
                input.get("input_ids").dims()[1], seconds, loadAverage());
        long[][] nanos = timesInTurn(files, input, seconds);
        for (int m = 0; m < files.size(); m++) {
            System.out.printf("%s: median %.2f ms%n", names.get(m), median(nanos[m]) / 1e6);
        }
        double[] ratios = new double[nanos[0].length];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = (double) nanos[2][round] / nanos[1][round];
        }
        System.out.printf("Tern int8 / ONNX Runtime int8: %.3f (ratio of medians), %.3f (median of the %d rounds'"
                + " ratios); load average after %s, %d cores%n", median(nanos[2]) / median(nanos[1]), median(ratios),
                ratios.length, loadAverage(), java.lang.Runtime.getRuntime().availableProcessors());
    }

    /**
     * Each model's latencies in nanoseconds on {@code input}, by round: every round runs each
     * model once, starting one model further on than the round before, so no model always follows
     * the same one.
     */
    private static long[][] timesInTurn(List<Path> files, Map<String, Tensor> input, double seconds) {
        SessionConfig config = SessionConfig.builder().intraOpThreads(1).build();
        try (Runtime runtime = Runtime.create()) {
            List<CompiledModel> models = files.stream().map(file -> runtime.open(file, config)).toList();
            try {
                for (int round = 0; round < WARMUP_ROUNDS; round++) {
                    models.forEach(model -> model.run(input));
                }
                long[][] times = new long[models.size()][MAX_ROUNDS];
                int rounds = 0;
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end && rounds < MAX_ROUNDS) {
                    for (int i = 0; i < models.size(); i++) {
                        int m = (rounds + i) % models.size();
                        long start = System.nanoTime();
                        models.get(m).run(input);
                        times[m][rounds] = System.nanoTime() - start;
                    }
                    rounds++;
                }
                int measured = rounds;
                return Arrays.stream(times).map(modelTimes -> Arrays.copyOf(modelTimes, measured))
                        .toArray(long[][]::new);
            } finally {
                models.forEach(CompiledModel::close);
            }
        }
    }

    private static double median(long[] values) {
        return median(Arrays.stream(values).asDoubleStream().toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return String.join(" ", Arrays.copyOf(fields, 3));
    }
}
