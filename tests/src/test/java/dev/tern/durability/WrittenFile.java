package dev.tern.durability;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.ExportOptions;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;
import dev.tern.train.report.EpochStats;
import dev.tern.train.report.HistoryReport;
import dev.tern.train.report.TrainingHistory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/**
 * The files Tern writes over an earlier version of themselves, each big enough that writing it
 * takes a while: a model ({@link OnnxExporter}), inline or with external data, a training checkpoint
 * ({@link TrainingSession#saveCheckpoint}) and a training report ({@link HistoryReport}).
 * Version {@code v} of each says which version it is, so a reader can tell them apart.
 */
enum WrittenFile {
    /** A 32 MB model whose metadata {@code version} is the version. */
    MODEL("model.onnx") {
        @Override
        Writer writer(Path target) {
            Model model = bigModel();
            return version -> {
                model.metadataProps().put("version", Integer.toString(version));
                OnnxExporter.write(model, target);
            };
        }

        @Override
        int readVersion(Path file) throws Exception {
            return Integer.parseInt(OnnxImporter.read(file).metadataProps().get("version"));
        }
    },
    /**
     * The same model plus an 8 MB tensor filled with the version, which alone goes to an
     * external data file: reading it back checks that model and data file are one pair. The
     * 4 MB weights stay inline, so most of a write goes to the model file after the data file is
     * in place, the moment a kill would find the new data beside the old model if the data went
     * over the file the old model reads.
     */
    MODEL_WITH_EXTERNAL_DATA("model.onnx") {
        @Override
        Writer writer(Path target) {
            Model model = bigModel();
            Value stamp = model.graph().addInitializer(stamp(0));
            ExportOptions external = ExportOptions.builder().externalData(true).sizeThreshold(STAMP_FLOATS * 4L)
                    .build();
            return version -> {
                model.metadataProps().put("version", Integer.toString(version));
                stamp.setInitializer(stamp(version));
                OnnxExporter.write(model, target, external);
            };
        }

        @Override
        int readVersion(Path file) throws Exception {
            Model model = OnnxImporter.read(file);
            int version = Integer.parseInt(model.metadataProps().get("version"));
            for (float value : model.graph().initializers().get(STAMP).initializer().toFloatArray()) {
                if (value != version) {
                    throw new AssertionError(file + " is version " + version + " but its external data "
                            + OnnxImporter.externalDataFiles(file) + " hold version " + value);
                }
            }
            return version;
        }
    },
    /** A checkpoint of a linear layer with 1 M weights, trained one SGD step per version. */
    CHECKPOINT("weights.ckpt") {
        @Override
        Writer writer(Path target) {
            Runtime runtime = Runtime.create();
            TrainingSession session = linearSession(runtime);
            return new Writer() {
                @Override
                public void write(int version) {
                    // One step per version, so the checkpoint's step count is its version.
                    session.step(linearBatch());
                    session.saveCheckpoint(target);
                }

                @Override
                public void close() {
                    session.close();
                    runtime.close();
                }
            };
        }

        @Override
        int readVersion(Path file) {
            try (Runtime runtime = Runtime.create(); TrainingSession session = linearSession(runtime)) {
                session.restoreCheckpoint(file);
                return Math.toIntExact(session.stepCount());
            }
        }
    },
    /** An HTML report of {@value #EPOCHS} epochs titled {@code version <v>}. */
    REPORT("report.html") {
        @Override
        Writer writer(Path target) {
            TrainingHistory history = new TrainingHistory();
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                history.add(new EpochStats(epoch, 1.0 / epoch, 2.0 / epoch, 1 - 1.0 / epoch, 1000));
            }
            return version -> HistoryReport.writeHtml(history, "version " + version, target);
        }

        @Override
        int readVersion(Path file) throws Exception {
            // Parsing the whole page as XML fails on a truncated one.
            Document page = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            String title = page.getElementsByTagName("title").item(0).getTextContent();
            return Integer.parseInt(title.substring("version ".length()));
        }
    };

    /** Writes successive versions of one file; may hold native resources until closed. */
    interface Writer extends AutoCloseable {
        /** Writes version {@code version} over the file. */
        void write(int version) throws Exception;

        @Override
        default void close() {
        }
    }

    private static final int EPOCHS = 10_000;
    private static final String STAMP = "version_stamp";
    /** Floats in the version stamp: twice as many as each of the big model's weights. */
    private static final int STAMP_FLOATS = 2 << 20;
    private static final int LINEAR_INPUTS = 1024;
    private static final int LINEAR_OUTPUTS = 1024;

    private final String fileName;

    WrittenFile(String fileName) {
        this.fileName = fileName;
    }

    /** The file's name in its folder. */
    String fileName() {
        return fileName;
    }

    /** A writer of successive versions of {@code target}. */
    abstract Writer writer(Path target) throws Exception;

    /**
     * Reads {@code file} the way Tern's users do and returns the version it holds.
     *
     * @throws Exception if the file cannot be read
     */
    abstract int readVersion(Path file) throws Exception;

    private static Model bigModel() {
        GraphBuilder g = GraphBuilder.create("big");
        Value sum = g.input("x", ElementType.FLOAT, Dim.of(1 << 20));
        for (int i = 0; i < 8; i++) {
            sum = g.op("Add", sum, g.initializer(randomFloats("w" + i, new Random(i), 1 << 20)));
        }
        g.output(sum, "y");
        return g.toModel(21);
    }

    /** A tensor of {@value #STAMP_FLOATS} floats, each {@code version}. */
    private static Tensor stamp(int version) {
        float[] values = new float[STAMP_FLOATS];
        Arrays.fill(values, version);
        return Tensor.ofFloats(STAMP, new long[] {STAMP_FLOATS}, values);
    }

    private static TrainingSession linearSession(Runtime runtime) {
        GraphBuilder g = GraphBuilder.create("linear");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(LINEAR_INPUTS));
        Value w = g.initializer(randomFloats("w", new Random(1), LINEAR_INPUTS, LINEAR_OUTPUTS));
        g.output(g.op("MatMul", x, w), "y");
        return TrainingSession.builder(g.toModel(21), "y").loss(Loss.meanSquaredError()).trainable(List.of("w"))
                .optimizer(Optimizer.sgd()).schedule(LearningRateSchedule.constant(1e-3))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    private static Map<String, Tensor> linearBatch() {
        return Map.of("x", randomFloats("x", new Random(2), 1, LINEAR_INPUTS),
                "target", randomFloats("target", new Random(3), 1, LINEAR_OUTPUTS));
    }

    private static Tensor randomFloats(String name, Random random, long... dims) {
        float[] values = new float[Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(name, dims, values);
    }
}
