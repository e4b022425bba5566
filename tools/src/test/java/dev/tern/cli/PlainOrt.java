package dev.tern.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.train.data.Dataset;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model file run by ONNX Runtime itself, as anyone serving it would run it: raw features of
 * a data set's examples into the first input, the first output back as rows.
 */
final class PlainOrt implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private PlainOrt(Path model) throws OrtException {
        this.session = environment.createSession(model.toString(), new OrtSession.SessionOptions());
    }

    static PlainOrt open(Path model) throws OrtException {
        return new PlainOrt(model);
    }

    /** The first output for every example of {@code data}, fed its features as they are stored, unscaled. */
    float[][] run(Dataset data) throws OrtException {
        int width = data.featureSize();
        float[] features = new float[data.size() * width];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, features, i * width);
        }
        String input = session.getInputNames().iterator().next();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features),
                     new long[] {data.size(), width});
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /** The model's metadata properties, as ONNX Runtime reads them. */
    Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
