package dev.tern.library;

import dev.tern.cli.Tern;
import dev.tern.compress.Ensemble;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import dev.tern.server.InferenceServer;
import dev.tern.spark.BadRowException;
import dev.tern.train.TrainingSession;

/** Tern's published modules: where each is built, its coordinates and module name, and a class its jar holds. */
enum TernModule {
    GRAPH_IR("graph-ir", "tern-graph-ir", "dev.tern.ir", Model.class),
    ONNX_IMPORT("onnx-import", "tern-onnx-import", "dev.tern.onnx", OnnxImporter.class),
    EXECUTOR("executor", "tern-executor", "dev.tern.exec", Runtime.class),
    TRAIN_EXT("train-ext", "tern-train-ext", "dev.tern.train", TrainingSession.class),
    COMPRESS("compress", "tern-compress", "dev.tern.compress", Ensemble.class),
    // BadRowException, not TernModel: TernModel extends Spark's Transformer, and Spark is provided by the cluster.
    SPARK("spark", "tern-spark", "dev.tern.spark", BadRowException.class),
    SERVER("server", "tern-server", "dev.tern.server", InferenceServer.class),
    TOOLS("tools", "tern-tools", "dev.tern.cli", Tern.class);

    private final String directory;
    private final String artifactId;
    private final String moduleName;
    private final Class<?> apiClass;

    TernModule(String directory, String artifactId, String moduleName, Class<?> apiClass) {
        this.directory = directory;
        this.artifactId = artifactId;
        this.moduleName = moduleName;
        this.apiClass = apiClass;
    }

    /** The module's folder in the reactor. */
    String directory() {
        return directory;
    }

    String artifactId() {
        return artifactId;
    }

    /** The JPMS name its jar declares as Automatic-Module-Name. */
    String moduleName() {
        return moduleName;
    }

    /** A public class of the module's API, which locates its jar on the class path. */
    Class<?> apiClass() {
        return apiClass;
    }

    /** The path of {@link #apiClass()}'s source or Javadoc page inside a jar, without the extension. */
    String apiClassEntry() {
        return apiClass.getName().replace('.', '/');
    }
}
