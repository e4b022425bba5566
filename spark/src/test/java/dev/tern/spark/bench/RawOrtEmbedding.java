package dev.tern.spark.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The baseline: sentence embeddings by a hand-written {@code mapPartitions} over ONNX Runtime's
 * Java API, the way one would write it without Tern. One session per JVM (as Tern keeps), the
 * same tokenizer, the same rows per run and mean pooling; rows come out as (id, embedding).
 */
final class RawOrtEmbedding implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static OrtSession session;
    private static TextTokenizer tokenizer;

    private final String modelFile;
    private final byte[] tokenizerJson;
    private final int maxTokens;
    private final int rowsPerRun;

    RawOrtEmbedding(String modelFile, byte[] tokenizerJson, int maxTokens, int rowsPerRun) {
        this.modelFile = modelFile;
        this.tokenizerJson = tokenizerJson;
        this.maxTokens = maxTokens;
        this.rowsPerRun = rowsPerRun;
    }

    private void open() throws OrtException, IOException {
        synchronized (RawOrtEmbedding.class) {
            if (session == null) {
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                session = OrtEnvironment.getEnvironment().createSession(modelFile, options);
                tokenizer = TextTokenizer.load(new ByteArrayInputStream(tokenizerJson), maxTokens);
            }
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        open();
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(rowsPerRun);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == rowsPerRun || !rows.hasNext()) {
                embed(batch, out);
                batch.clear();
            }
        }
        return out.iterator();
    }

    private void embed(List<Row> batch, List<Row> out) throws OrtException {
        List<String> texts = new ArrayList<>(batch.size());
        for (Row row : batch) {
            texts.add(row.getString(1));
        }
        Map<String, Tensor> tokens = tokenizer.encode(texts);
        long[] dims = tokens.get(TextTokenizer.INPUT_IDS).dims();
        long[] mask = tokens.get(TextTokenizer.ATTENTION_MASK).toLongArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : tokens.entrySet()) {
                feed.put(input.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(input.getValue().toLongArray()),
                        dims));
            }
            try (OrtSession.Result result = session.run(feed)) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                for (int r = 0; r < batch.size(); r++) {
                    out.add(RowFactory.create(batch.get(r).getInt(0), meanPool(states[r], mask, r)));
                }
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanPool(float[][] states, long[] mask, int row) {
        int tokens = states.length;
        float[] sum = new float[states[0].length];
        int count = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[row * tokens + t] != 0) {
                count++;
                for (int h = 0; h < sum.length; h++) {
                    sum[h] += states[t][h];
                }
            }
        }
        for (int h = 0; h < sum.length; h++) {
            sum[h] /= count;
        }
        return sum;
    }
}
