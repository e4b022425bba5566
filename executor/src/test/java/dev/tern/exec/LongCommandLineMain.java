package dev.tern.exec;

import dev.tern.ir.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Child JVM of {@link LongCommandLineTest}: compiles and runs the test MLP on its main thread,
 * then prints the largest difference from the Java reference.
 */
public final class LongCommandLineMain {
    private LongCommandLineMain() {
    }

    public static void main(String[] args) {
        int batch = 3;
        TestModels.Mlp mlp = TestModels.mlp();
        float[] x = TestModels.randoms(new Random(7), batch * TestModels.IN);
        try (Runtime runtime = Runtime.create(); CompiledModel model = runtime.compile(mlp.model())) {
            float[] y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, TestModels.IN}, x)))
                    .get("y").toFloatArray();
            float[] expected = mlp.reference(x, batch);
            float worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(y[i] - expected[i]));
            }
            System.out.println("max difference " + worst);
        }
    }
}
