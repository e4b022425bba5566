package dev.tern.onnx;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** Models built in code for the tests, with plain IR constructors. */
final class Models {
    private Models() {
    }

    static ValueType floats(Object... dims) {
        Dim[] converted = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            converted[i] = dims[i] instanceof String s ? Dim.of(s) : dims[i] == null ? Dim.UNKNOWN
                    : Dim.of(((Number) dims[i]).longValue());
        }
        return ValueType.tensor(ElementType.FLOAT, Shape.of(converted));
    }

    static Model wrap(Graph graph) {
        Model model = new Model(graph);
        model.opsetImports().put("", 21L);
        return model;
    }

    /** y = x @ W + B, with symbolic batch, metadata and docs everywhere. */
    static Model linear() {
        Graph graph = new Graph("main");
        graph.setDocString("a linear layer");
        graph.metadataProps().put("graph.key", "g");
        Value x = new Value("x", floats("batch", 3));
        x.setDocString("input rows");
        x.metadataProps().put("value.key", "v");
        graph.addInput(x);
        Value w = graph.addInitializer(Tensor.ofFloats("W", new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        Value b = graph.addInitializer(Tensor.ofFloats("B", new long[] {2}, 0.5f, -1));
        Value product = new Value("product", floats("batch", 2));
        Value y = new Value("y", floats("batch", 2));
        Node matMul = new Node("", "MatMul", List.of(x, w), List.of(product), List.of());
        matMul.setName("matmul");
        matMul.setDocString("multiplies");
        matMul.metadataProps().put("node.key", "n");
        graph.appendNode(matMul);
        graph.appendNode(new Node("", "Add", List.of(product, b), List.of(y), List.of()));
        graph.addOutput(y);
        Model model = wrap(graph);
        model.opsetImports().put("com.microsoft", 1L);
        model.setProducerName("tern-tests");
        model.setProducerVersion("0.1");
        model.setDomain("dev.tern");
        model.setModelVersion(7);
        model.setDocString("model doc");
        model.metadataProps().put("author", "tests");
        return model;
    }

    /** Little-endian bytes 0, 1, 2, ... as a tensor of {@code type}. */
    static Tensor counting(String name, ElementType type, long... dims) {
        long count = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        int bytes = (int) type.byteSize(count);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes; i++) {
            buffer.put((byte) (i * 7 + 1));
        }
        return Tensor.of(name, type, dims, buffer.flip());
    }

    /** One initializer of every fixed-width element type, plus strings, all read by an Identity each. */
    static Model everyElementType() {
        Graph graph = new Graph("types");
        for (ElementType type : ElementType.values()) {
            if (type == ElementType.UNDEFINED) {
                continue;
            }
            Tensor tensor = type == ElementType.STRING
                    ? Tensor.ofStrings("t_string", new long[] {2, 2},
                            List.of("a".getBytes(), new byte[0], new byte[] {(byte) 0xff, 0}, "π".getBytes()))
                    : counting("t_" + type.onnxName(), type, 3, 5);
            Value constant = graph.addInitializer(tensor);
            Value out = new Value("out_" + type.onnxName(), tensor.type());
            graph.appendNode(new Node("", "Identity", List.of(constant), List.of(out), List.of()));
            graph.addOutput(out);
        }
        graph.addInitializer(Tensor.ofFloats("empty", new long[] {0, 4}));
        graph.addInitializer(Tensor.ofFloats("scalar", new long[] {}, 3.5f));
        return wrap(graph);
    }

    /** A node carrying one attribute of each of the 14 types, plus a documented one. */
    static Model everyAttributeType() {
        Graph graph = new Graph("attrs");
        Value x = new Value("x", floats(2));
        graph.addInput(x);
        Value y = new Value("y", floats(2));
        Graph branch = new Graph("branch");
        Value inner = new Value("inner", floats(2));
        branch.appendNode(new Node("", "Identity", List.of(x), List.of(inner), List.of()));
        branch.addOutput(inner);
        Graph second = new Graph("second");
        second.addOutput(x);
        SparseTensor sparse = sparse("sp");
        List<Attribute> attributes = List.of(
                Attribute.ofFloat("f", 1.5f),
                Attribute.ofInt("i", -42),
                Attribute.ofString("s", "héllo"),
                Attribute.ofTensor("t", Tensor.ofLongs("tv", new long[] {2}, 7, 8)),
                Attribute.ofGraph("g", branch),
                Attribute.ofSparseTensor("st", sparse),
                Attribute.ofType("tp", new ValueType.SequenceType(floats("n"))),
                Attribute.ofFloats("fs", 1, 2, Float.NaN),
                Attribute.ofInts("is", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                Attribute.ofStrings("ss", "a", "", "c"),
                Attribute.ofTensors("ts", List.of(Tensor.ofInts("a", new long[] {1}, 1),
                        Tensor.ofDoubles("b", new long[] {1}, 2.0))),
                Attribute.ofGraphs("gs", List.of(second)),
                Attribute.ofSparseTensors("sts", List.of(sparse("sp2"))),
                Attribute.ofTypes("tps", List.of(
                        new ValueType.MapType(ElementType.INT64, floats()),
                        new ValueType.OptionalType(ValueType.tensor(ElementType.INT8, Shape.unknownRank())),
                        new ValueType.SparseTensorType(ElementType.FLOAT, Shape.of(Dim.of(3), Dim.UNKNOWN)))),
                Attribute.ofInt("documented", 1).withDocString("an attribute doc"));
        graph.appendNode(new Node("custom.domain", "Everything", List.of(x), List.of(y), attributes));
        graph.addOutput(y);
        Model model = wrap(graph);
        model.opsetImports().put("custom.domain", 1L);
        return model;
    }

    static SparseTensor sparse(String name) {
        return new SparseTensor(Tensor.ofFloats(name, new long[] {2}, 5, 6),
                Tensor.ofLongs(name + "_indices", new long[] {2}, 1, 10), new long[] {3, 4});
    }

    /** An If whose branches read an outer value, and a Loop whose body reads one too. */
    static Model withSubgraphs() {
        Graph graph = new Graph("control");
        Value condition = new Value("cond", ValueType.tensor(ElementType.BOOL));
        Value x = new Value("x", floats(4));
        graph.addInput(condition);
        graph.addInput(x);
        Value scale = graph.addInitializer(Tensor.ofFloats("scale", new long[] {}, 2));

        Graph thenBranch = new Graph("then");
        Value doubled = new Value("doubled", floats(4));
        thenBranch.appendNode(new Node("", "Mul", List.of(x, scale), List.of(doubled), List.of()));
        thenBranch.addOutput(doubled);
        Graph elseBranch = new Graph("else");
        Value negated = new Value("negated", floats(4));
        elseBranch.appendNode(new Node("", "Neg", List.of(x), List.of(negated), List.of()));
        elseBranch.addOutput(negated);
        Value chosen = new Value("chosen", floats(4));
        graph.appendNode(new Node("", "If", List.of(condition), List.of(chosen),
                List.of(Attribute.ofGraph("then_branch", thenBranch), Attribute.ofGraph("else_branch", elseBranch))));

        Graph body = new Graph("body");
        Value iteration = new Value("i", ValueType.tensor(ElementType.INT64));
        Value keepGoing = new Value("keep_going_in", ValueType.tensor(ElementType.BOOL));
        Value carried = new Value("carried_in", floats(4));
        body.addInput(iteration);
        body.addInput(keepGoing);
        body.addInput(carried);
        Value keepGoingOut = new Value("keep_going_out", ValueType.tensor(ElementType.BOOL));
        Value carriedOut = new Value("carried_out", floats(4));
        body.appendNode(new Node("", "Identity", List.of(keepGoing), List.of(keepGoingOut), List.of()));
        body.appendNode(new Node("", "Add", List.of(carried, chosen), List.of(carriedOut), List.of()));
        body.addOutput(keepGoingOut);
        body.addOutput(carriedOut);
        Value tripCount = graph.addInitializer(Tensor.ofLongs("trips", new long[] {}, 3));
        Value looped = new Value("looped", floats(4));
        graph.appendNode(new Node("", "Loop", Arrays.asList(tripCount, null, chosen), List.of(looped),
                List.of(Attribute.ofGraph("body", body))));
        graph.addOutput(looped);
        return wrap(graph);
    }

    /** A model calling a local function that takes one attribute by reference and has a default for another. */
    static Model withFunction() {
        Graph body = new Graph("ScaledRelu");
        Value a = new Value("A", floats("n"));
        body.addInput(a);
        Value relu = new Value("relu", floats("n"));
        Value scaled = new Value("scaled");
        Value alpha = new Value("alpha_value");
        body.appendNode(new Node("", "Relu", List.of(a), List.of(relu), List.of()));
        body.appendNode(new Node("", "Constant", List.of(), List.of(alpha),
                List.of(Attribute.reference("value_float", AttributeType.FLOAT, "alpha"))));
        body.appendNode(new Node("", "Mul", List.of(relu, alpha), List.of(scaled), List.of()));
        body.addOutput(scaled);
        Function function = new Function("local", "ScaledRelu", body);
        function.attributeNames().add("alpha");
        function.attributeDefaults().add(Attribute.ofInt("unused", 3));
        function.opsetImports().put("", 21L);
        function.setDocString("relu then scale");
        function.metadataProps().put("fn.key", "f");

        Graph graph = new Graph("main");
        Value x = new Value("x", floats(5));
        graph.addInput(x);
        Value y = new Value("y", floats(5));
        Node call = new Node("local", "ScaledRelu", List.of(x), List.of(y), List.of(Attribute.ofFloat("alpha", 0.5f)));
        graph.appendNode(call);
        graph.addOutput(y);
        Model model = wrap(graph);
        model.opsetImports().put("local", 1L);
        model.functions().add(function);
        return model;
    }

    /** Weights of {@code count} float tensors of {@code floatsEach} elements, summed into one output. */
    static Model bigWeights(int count, int floatsEach) {
        Graph graph = new Graph("big");
        Value x = new Value("x", floats(floatsEach));
        graph.addInput(x);
        Value current = x;
        for (int i = 0; i < count; i++) {
            ByteBuffer data = ByteBuffer.allocateDirect(floatsEach * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < floatsEach; k++) {
                data.putFloat(i + k * 1e-3f);
            }
            Value weight = graph.addInitializer(Tensor.of("w" + i, ElementType.FLOAT, new long[] {floatsEach},
                    data.flip()));
            Value sum = new Value("sum" + i, floats(floatsEach));
            graph.appendNode(new Node("", "Add", List.of(current, weight), List.of(sum), List.of()));
            current = sum;
        }
        graph.addOutput(current);
        return wrap(graph);
    }
}
