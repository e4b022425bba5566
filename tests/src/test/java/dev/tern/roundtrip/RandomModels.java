package dev.tern.roundtrip;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random but well-formed models: a DAG of nodes in a private domain (so any
 * attribute is allowed), inputs with known, symbolic and unknown dims, initializers of every
 * fixed-width element type and strings, attributes of every kind, and nested subgraphs that
 * read outer values.
 */
final class RandomModels {
    static final String DOMAIN = "test.random";
    private static final ElementType[] TENSOR_TYPES = {
        ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT8, ElementType.UINT8, ElementType.INT16,
        ElementType.UINT16, ElementType.INT32, ElementType.UINT32, ElementType.INT64, ElementType.UINT64,
        ElementType.BOOL, ElementType.FLOAT16, ElementType.BFLOAT16, ElementType.COMPLEX64,
        ElementType.COMPLEX128, ElementType.FLOAT8E4M3FN, ElementType.FLOAT8E5M2, ElementType.INT4,
        ElementType.UINT4, ElementType.STRING,
    };

    private final Random random;
    private int counter;

    RandomModels(long seed) {
        this.random = new Random(seed);
    }

    Model next() {
        Graph graph = randomGraph("g", List.of(), 0);
        Model model = new Model(graph);
        model.opsetImports().put("", 21L);
        model.opsetImports().put(DOMAIN, 1L);
        model.setProducerName("random-" + random.nextInt(100));
        model.setDocString(random.nextBoolean() ? "" : "doc " + random.nextInt());
        if (random.nextBoolean()) {
            model.metadataProps().put("key" + random.nextInt(5), "value" + random.nextInt());
        }
        return model;
    }

    private Graph randomGraph(String prefix, List<Value> outer, int depth) {
        Graph graph = new Graph(prefix + "_graph" + counter++);
        List<Value> available = new ArrayList<>(outer);
        int inputs = 1 + random.nextInt(3);
        for (int i = 0; i < inputs; i++) {
            Value input = new Value(fresh(prefix + "_in"), randomTensorType());
            graph.addInput(input);
            available.add(input);
        }
        int initializers = random.nextInt(3);
        for (int i = 0; i < initializers; i++) {
            Value init = graph.addInitializer(randomTensor(fresh(prefix + "_w")));
            available.add(init);
        }
        int nodes = 1 + random.nextInt(6);
        Value last = available.get(available.size() - 1);
        for (int i = 0; i < nodes; i++) {
            List<Value> nodeInputs = new ArrayList<>();
            int arity = 1 + random.nextInt(3);
            for (int k = 0; k < arity; k++) {
                nodeInputs.add(random.nextInt(8) == 0 ? null : available.get(random.nextInt(available.size())));
            }
            List<Value> nodeOutputs = new ArrayList<>();
            int outputs = 1 + random.nextInt(2);
            for (int k = 0; k < outputs; k++) {
                Value output = new Value(fresh(prefix + "_v"), random.nextBoolean() ? randomTensorType() : null);
                nodeOutputs.add(output);
            }
            Node node = new Node(DOMAIN, "Op" + random.nextInt(4), nodeInputs, nodeOutputs,
                    randomAttributes(prefix, available, depth));
            node.setName(random.nextBoolean() ? "" : fresh(prefix + "_n"));
            graph.appendNode(node);
            available.addAll(nodeOutputs);
            last = nodeOutputs.get(0);
        }
        graph.addOutput(last);
        return graph;
    }

    private List<Attribute> randomAttributes(String prefix, List<Value> scope, int depth) {
        List<Attribute> attributes = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = "a" + i;
            attributes.add(switch (random.nextInt(depth < 2 ? 11 : 10)) {
                case 0 -> Attribute.ofFloat(name, random.nextFloat());
                case 1 -> Attribute.ofInt(name, random.nextLong());
                case 2 -> Attribute.ofString(name, "s" + random.nextInt());
                case 3 -> Attribute.ofFloats(name, random.nextFloat(), random.nextFloat());
                case 4 -> Attribute.ofInts(name, random.nextInt(), -1, 0);
                case 5 -> Attribute.ofStrings(name, "x", "y" + random.nextInt());
                case 6 -> Attribute.ofTensor(name, randomTensor(""));
                case 7 -> Attribute.ofTensors(name, List.of(randomTensor("t1"), randomTensor("t2")));
                case 8 -> Attribute.ofType(name, randomTensorType());
                case 9 -> Attribute.ofTypes(name, List.of(new ValueType.SequenceType(randomTensorType()),
                        new ValueType.OptionalType(randomTensorType())));
                default -> Attribute.ofGraph(name, randomGraph(prefix + "_s" + depth, scope, depth + 1));
            });
        }
        return attributes;
    }

    private ValueType.TensorType randomTensorType() {
        ElementType type = TENSOR_TYPES[random.nextInt(TENSOR_TYPES.length)];
        if (random.nextInt(6) == 0) {
            return new ValueType.TensorType(type, Shape.unknownRank());
        }
        int rank = random.nextInt(4);
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            dims.add(switch (random.nextInt(3)) {
                case 0 -> Dim.of(random.nextInt(5));
                case 1 -> Dim.of("d" + random.nextInt(3));
                default -> Dim.UNKNOWN;
            });
        }
        return new ValueType.TensorType(type, Shape.of(dims));
    }

    private Tensor randomTensor(String name) {
        ElementType type = TENSOR_TYPES[random.nextInt(TENSOR_TYPES.length)];
        long[] dims = new long[random.nextInt(3)];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = random.nextInt(4);
            count *= dims[i];
        }
        if (type == ElementType.STRING) {
            List<byte[]> strings = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                strings.add(("str" + random.nextInt()).getBytes(StandardCharsets.UTF_8));
            }
            return Tensor.ofStrings(name, dims, strings);
        }
        byte[] bytes = new byte[(int) type.byteSize(count)];
        random.nextBytes(bytes);
        return Tensor.of(name, type, dims, ByteBuffer.wrap(bytes));
    }

    private String fresh(String prefix) {
        return prefix + counter++;
    }
}
