package example.consumer;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFitTest {

    @Test
    void loadsRunsAndFineTunesAModelFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("line.onnx");
        OnnxExporter.write(LineFit.untrained(), file);
        Model loaded = OnnxImporter.read(file);

        try (Runtime runtime = Runtime.create()) {
            float[] halfOfX = new float[LineFit.X.length];
            for (int i = 0; i < halfOfX.length; i++) {
                halfOfX[i] = 0.5f * LineFit.X[i];
            }
            assertArrayEquals(halfOfX, LineFit.predict(runtime, loaded), 1e-6f);

            LineFit.Fit fit = LineFit.fineTune(runtime, loaded, 50);
            double first = fit.losses()[0];
            double last = fit.losses()[fit.losses().length - 1];
            assertTrue(last < first / 1000, "the loss fell from " + first + " only to " + last);
            assertArrayEquals(LineFit.line(), LineFit.predict(runtime, fit.tuned()), 0.01f);
        }
    }

    @Test
    void runsOnTheModulePathUnderTernsModuleNames() {
        assertEquals("example.consumer", LineFit.class.getModule().getName());
        assertEquals("dev.tern.ir", Model.class.getModule().getName());
        assertEquals("dev.tern.onnx", OnnxImporter.class.getModule().getName());
        assertEquals("dev.tern.exec", Runtime.class.getModule().getName());
        assertEquals("dev.tern.train", TrainingSession.class.getModule().getName());
    }
}
