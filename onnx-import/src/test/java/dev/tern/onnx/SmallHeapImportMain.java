package dev.tern.onnx;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Run by {@link SmallHeapImportTest} in a JVM with a heap smaller than the model's weights:
 * imports each model file given and prints one checksum line over all its float weights.
 * Copying the weights onto the heap (or into direct memory, capped at the heap size) would
 * fail with an OutOfMemoryError.
 */
public final class SmallHeapImportMain {
    private SmallHeapImportMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            Model model = OnnxImporter.read(Path.of(file));
            System.gc();
            System.out.println(checksum(model));
        }
    }

    static double checksum(Model model) {
        double sum = 0;
        for (Value value : model.graph().initializers().values()) {
            FloatBuffer floats = value.initializer().data().asFloatBuffer();
            while (floats.hasRemaining()) {
                sum += floats.get();
            }
        }
        return sum;
    }
}
