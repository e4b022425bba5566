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
        return run(data, 1, data.featureSize());
    }

    /**
     * The first output for every example of {@code data}, fed its features divided by
     * {@code divisor}, each example shaped {@code exampleShape}.
     */
    float[][] run(Dataset data, float divisor, long... exampleShape) throws OrtException {
        int width = data.featureSize();
        float[] features = new float[data.size() * width];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, features, i * width);
        }
        for (int i = 0; i < features.length; i++) {
            features[i] /= divisor;
        }
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = data.size();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        String input = session.getInputNames().iterator().next();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), shape);
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
