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
 * Tern's median over ONNX Runtime's, and the load average before and after.
 *
 * <p>Dynamic quantization calibrates nothing, so every sentence is evaluation data. Run with the
 * compress module's test class path and {@code -Dtern.root=CHECKOUT}:
 * {@code MiniLmQuantizationComparison FP32.onnx ORT_INT8.onnx TERN_INT8.onnx [SECONDS]}.
 */
final class MiniLmQuantizationComparison {
    private static final int SENTENCES = 500;
    private static final int WARMUP_ROUNDS = 20;

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
        double[] medians = alternatingMedianMillis(files, input, seconds);
        for (int m = 0; m < files.size(); m++) {
            System.out.printf("%s: %.2f ms%n", names.get(m), medians[m]);
        }
        System.out.printf("Tern int8 / ONNX Runtime int8: %.3f; load average after %s, %d cores%n",
                medians[2] / medians[1], loadAverage(), java.lang.Runtime.getRuntime().availableProcessors());
    }

    /** The median latency of each model in {@code files} on {@code input}, one run of each in turn. */
    private static double[] alternatingMedianMillis(List<Path> files, Map<String, Tensor> input, double seconds) {
        SessionConfig config = SessionConfig.builder().intraOpThreads(1).build();
        try (Runtime runtime = Runtime.create()) {
            List<CompiledModel> models = files.stream().map(file -> runtime.open(file, config)).toList();
            try {
                for (int round = 0; round < WARMUP_ROUNDS; round++) {
                    models.forEach(model -> model.run(input));
                }
                long[][] times = new long[models.size()][1024];
                int rounds = 0;
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end && rounds < times[0].length) {
                    for (int m = 0; m < models.size(); m++) {
                        long start = System.nanoTime();
                        models.get(m).run(input);
                        times[m][rounds] = System.nanoTime() - start;
                    }
                    rounds++;
                }
                double[] medians = new double[models.size()];
                for (int m = 0; m < models.size(); m++) {
                    long[] sorted = Arrays.copyOf(times[m], rounds);
                    Arrays.sort(sorted);
                    medians[m] = sorted[rounds / 2] / 1e6;
                }
                return medians;
            } finally {
                models.forEach(CompiledModel::close);
            }
        }
    }

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return String.join(" ", Arrays.copyOf(fields, 3));
    }
}
