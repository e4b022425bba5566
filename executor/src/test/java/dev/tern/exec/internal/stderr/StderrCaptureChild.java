package dev.tern.exec.internal.stderr;

import com.sun.jna.NativeLong;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Run by {@link StderrCaptureTest} in a child JVM: starts the capture from several threads at
 * once, writes a line to standard error from Java and one from native code, opens a model with
 * {@code args[1]} initializers no node reads (ONNX Runtime warns once for each), and ends with
 * native output that has no line feed.
 *
 * <p>Arguments: the model file to write, the number of unused initializers.
 */
final class StderrCaptureChild {
    static final String JAVA_LINE = "a line from System.err";
    static final String NATIVE_LINE = "a line written to file descriptor 2 natively";
    static final String LAST_WORDS = "last words without a line feed";
    /** Printed to standard output: how many more pipe descriptors the process holds after the capture started. */
    static final String PIPES_ADDED = "pipes added: ";
    private static final int STARTING_THREADS = 8;

    private StderrCaptureChild() {
    }

    public static void main(String[] args) throws Exception {
        long pipesBefore = pipeDescriptors();
        startFromManyThreadsAtOnce();
        System.out.println(PIPES_ADDED + (pipeDescriptors() - pipesBefore));
        System.err.println(JAVA_LINE);
        writeNatively(NATIVE_LINE + "\n");
        Path file = Path.of(args[0]);
        OnnxExporter.write(modelWithUnusedInitializers(Integer.parseInt(args[1])).toModel(21), file);
        try (Runtime runtime = Runtime.create();
             CompiledModel model = runtime.open(file)) {
            System.out.println("opened " + model.inputs().size() + " input");
        }
        writeNatively(LAST_WORDS);
    }

    private static void startFromManyThreadsAtOnce() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < STARTING_THREADS; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                StderrCapture.startOnce();
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static GraphBuilder modelWithUnusedInitializers(int count) {
        GraphBuilder g = GraphBuilder.create("unused-initializers");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        for (int i = 0; i < count; i++) {
            g.initializer(Tensor.ofFloats("unused" + i, new long[] {1}, i));
        }
        g.output(g.op("Relu", x), "y");
        return g;
    }

    /** Writes to descriptor 2 with {@code write(2)}, as native code does, bypassing System.err. */
    private static void writeNatively(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        LibC.load().write(2, bytes, new NativeLong(bytes.length));
    }

    /** The process's open descriptors that are pipes (Linux's {@code /proc/self/fd}). */
    private static long pipeDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException e) {
                    return false; // The descriptor Files.list itself used, closed by now.
                }
            }).count();
        }
    }
}
