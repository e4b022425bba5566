package dev.tern.cli;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Models the CLI tests run on, built in code and exported with {@link OnnxExporter}. */
final class TestModels {
    /** Nodes of {@link #small()}, subgraph nodes included. */
    static final int SMALL_NODE_COUNT = 8;
    /** Elements of the initializers of {@link #small()}: w (3x4) and b (4). */
    static final long SMALL_PARAMETER_COUNT = 16;

    private TestModels() {
    }

    /** The folder the build unpacks the MiniLM models into (surefire passes it; IDE runs use the default). */
    static Path minilmFp32() {
        return Path.of(System.getProperty("tern.models.dir", "target/models"), "all-minilm-l6-v2.onnx");
    }

    /**
     * A small model touching everything {@code inspect} reports:
     * {@code out = If(flag, Identity(z), Neg(z))} with {@code z = Relu(com.example::Scale(Relu(x·w + b)))},
     * a symbolic and an unknown dimension, two opsets, a model-local function, metadata with
     * characters JSON must escape, and a two-line doc string.
     */
    static Model small() {
        ValueType batchBy3 = ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(3)));
        ValueType batchByAny = ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.UNKNOWN));

        Graph graph = new Graph("small");
        Value x = new Value("x", batchBy3);
        Value flag = new Value("flag", ValueType.tensor(ElementType.BOOL, Shape.scalar()));
        graph.addInput(x);
        graph.addInput(flag);
        Value w = graph.addInitializer(Tensor.ofFloats("w", new long[] {3, 4},
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        Value b = graph.addInitializer(Tensor.ofFloats("b", new long[] {4}, 0.5f, -0.5f, 1, -1));

        Value product = append(graph, "", "MatMul", List.of(x, w), batchByAny);
        Value sum = append(graph, "", "Add", List.of(product, b), batchByAny);
        Value relu = append(graph, "", "Relu", List.of(sum), batchByAny);
        Value scaled = append(graph, "com.example", "Scale", List.of(relu), batchByAny);
        Value z = append(graph, "", "Relu", List.of(scaled), batchByAny);

        Value out = new Value("out", batchByAny);
        Node branch = new Node("", "If", List.of(flag), List.of(out), List.of(
                Attribute.ofGraph("then_branch", branch("then", "Identity", z, batchByAny)),
                Attribute.ofGraph("else_branch", branch("else", "Neg", z, batchByAny))));
        branch.setName("choose");
        graph.appendNode(branch);
        graph.addOutput(out);

        Model model = new Model(graph);
        model.setIrVersion(10);
        model.opsetImports().put("", 17L);
        model.opsetImports().put("com.example", 1L);
        model.setDomain("dev.tern.tests");
        model.setModelVersion(3);
        model.setDocString("A small model for CLI tests.\nSecond line, not shown.");
        model.metadataProps().put("author", "Tern \"tests\"\\ \u00e9\t\u2603");
        model.functions().add(scaleFunction());
        return model;
    }

    /** The weights of {@link #affine()}: y = x·W + B. */
    static final float[][] AFFINE_W = {{1, 2}, {3, 4}, {5, 6}};
    static final float[] AFFINE_B = {0.5f, -1};

    /**
     * A model for {@code run} and {@code bench}, built with {@link GraphBuilder}: inputs
     * {@code x: float[batch,3]} and {@code ids: int64[batch]}; outputs {@code y = x·W + B}
     * (float[batch,2]), {@code "is/positive" = x > 0.5} (bool, a name that is no safe file
     * name) and {@code next = ids + 1} (int64).
     */
    static Model affine() {
        GraphBuilder g = GraphBuilder.create("affine");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value ids = g.input("ids", ElementType.INT64, Dim.of("batch"));
        float[] w = new float[6];
        for (int row = 0; row < 3; row++) {
            System.arraycopy(AFFINE_W[row], 0, w, row * 2, 2);
        }
        Value product = g.op("MatMul", x, g.initializer(Tensor.ofFloats("w", new long[] {3, 2}, w)));
        g.output(g.op("Add", product, g.initializer(Tensor.ofFloats("b", new long[] {2}, AFFINE_B))), "y");
        g.output(g.op("Greater", x, g.initializer(Tensor.ofFloats("half", new long[] {}, 0.5f))), "is/positive");
        g.output(g.op("Add", ids, g.initializer(Tensor.ofLongs("one", new long[] {}, 1))), "next");
        return g.toModel(21);
    }

    /** A model whose output is strings, which cannot be pinned nor written as .npy: {@code copy = Identity(words)}. */
    static Model strings() {
        GraphBuilder g = GraphBuilder.create("strings");
        Value words = g.input("words", ElementType.STRING, Dim.of("n"));
        g.output(g.op("Identity", words), "copy");
        return g.toModel(21);
    }

    /** Writes {@code model} to {@code file}. */
    static Path write(Model model, Path file) throws IOException {
        OnnxExporter.write(model, file);
        return file;
    }

    /** Writes {@link #small()} to {@code file}. */
    static Path writeSmall(Path file) throws IOException {
        OnnxExporter.write(small(), file);
        return file;
    }

    /** Writes bytes that are not an ONNX model to {@code file}. */
    static Path writeCorrupt(Path file) throws IOException {
        Files.writeString(file, "this is not an onnx model\n");
        return file;
    }

    private static Value append(Graph graph, String domain, String opType, List<Value> inputs, ValueType type) {
        Value output = new Value(opType.toLowerCase() + graph.nodeCount(), type);
        graph.appendNode(new Node(domain, opType, inputs, List.of(output), List.of()));
        return output;
    }

    /** A one-node subgraph reading {@code outer} from the enclosing graph. */
    private static Graph branch(String name, String opType, Value outer, ValueType type) {
        Graph graph = new Graph(name);
        Value result = new Value(name + "_out", type);
        graph.appendNode(new Node("", opType, List.of(outer), List.of(result), List.of()));
        graph.addOutput(result);
        return graph;
    }

    /** com.example::Scale as a model-local function: Y = X + X. */
    private static Function scaleFunction() {
        Graph body = new Graph("Scale");
        Value input = new Value("X");
        Value output = new Value("Y");
        body.addInput(input);
        body.appendNode(new Node("", "Add", List.of(input, input), List.of(output), List.of()));
        body.addOutput(output);
        Function function = new Function("com.example", "Scale", body);
        function.opsetImports().put("", 17L);
        return function;
    }
}
