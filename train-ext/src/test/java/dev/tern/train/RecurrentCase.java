package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.NodeBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One RNN, GRU or LSTM node under test, every tensor input a graph input (so any of them can
 * be differentiated), every output a graph output, and a loss: the sum of the squares of
 * every output element.
 * Sizes: sequence 3, batch 2 (declared as the symbol "batch"), input 3, hidden 2.
 */
final class RecurrentCase {
    static final long SEQUENCE = 3;
    static final long BATCH = 2;
    static final long INPUT = 3;
    static final long HIDDEN = 2;
    private static final List<String> OUTPUT_NAMES = List.of("y", "y_h", "y_c");

    private final String op;
    private final int gates;
    private long opset = 14;
    private ElementType type = ElementType.FLOAT;
    private String direction = "forward";
    private boolean batchFirst;
    private boolean bias;
    private boolean initialState;
    private boolean peepholes;
    private boolean onlyLastHidden;
    private boolean sequenceLens;
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<String> description = new ArrayList<>();

    private RecurrentCase(String op) {
        this.op = op;
        this.gates = switch (op) {
            case "RNN" -> 1;
            case "GRU" -> 3;
            case "LSTM" -> 4;
            default -> throw new IllegalArgumentException(op);
        };
        description.add(op);
    }

    static RecurrentCase of(String op) {
        return new RecurrentCase(op);
    }

    RecurrentCase opset(long version) {
        this.opset = version;
        description.add("opset " + version);
        return this;
    }

    RecurrentCase type(ElementType elementType) {
        this.type = elementType;
        description.add(elementType.toString());
        return this;
    }

    RecurrentCase direction(String name) {
        this.direction = name;
        description.add(name);
        return this;
    }

    /** layout = 1. */
    RecurrentCase batchFirst() {
        this.batchFirst = true;
        description.add("layout 1");
        return this;
    }

    RecurrentCase withBias() {
        this.bias = true;
        description.add("B");
        return this;
    }

    /** initial_h, and initial_c for LSTM. */
    RecurrentCase withInitialState() {
        this.initialState = true;
        description.add("initial state");
        return this;
    }

    RecurrentCase withPeepholes() {
        this.peepholes = true;
        description.add("P");
        return this;
    }

    /** An int32 sequence_lens input "lengths", fed so the first sequence stops after its first step and the second runs through. */
    RecurrentCase withSequenceLens() {
        this.sequenceLens = true;
        description.add("sequence_lens");
        return this;
    }

    /** Only Y_h is an output; Y (and Y_c) are omitted. */
    RecurrentCase onlyLastHidden() {
        this.onlyLastHidden = true;
        description.add("only Y_h");
        return this;
    }

    RecurrentCase attr(Attribute attribute) {
        attributes.add(attribute);
        description.add(attribute.name() + "=" + attributeText(attribute));
        return this;
    }

    RecurrentCase activations(String... names) {
        return attr(Attribute.ofStrings("activations", names));
    }

    /** The graph inputs other than X, in input order: the parameters and initial states. */
    List<String> parameterNames() {
        List<String> names = new ArrayList<>(List.of("w", "r"));
        if (bias) {
            names.add("b");
        }
        if (initialState) {
            names.add("initial_h");
            if (op.equals("LSTM")) {
                names.add("initial_c");
            }
        }
        if (peepholes) {
            names.add("p");
        }
        return names;
    }

    /** The names under which the model exposes the node's outputs Y, Y_h and Y_c, omitted ones left out. */
    List<String> outputNames() {
        if (onlyLastHidden) {
            return List.of("y_h");
        }
        return OUTPUT_NAMES.subList(0, op.equals("LSTM") ? 3 : 2);
    }

    /** The model with the node as given, {@code layout} included. */
    Model model() {
        GraphBuilder g = GraphBuilder.create(op.toLowerCase() + "_case");
        Value x = g.input("x", type, batchFirst ? batchFirstDims() : timeFirstDims());
        Value initialH = initialState ? g.input("initial_h", type, stateDims()) : null;
        Value initialC = initialState && op.equals("LSTM") ? g.input("initial_c", type, stateDims()) : null;
        NodeBuilder node = recurrentNode(g, x, initialH, initialC);
        if (batchFirst) {
            node.attr("layout", 1L);
        }
        finish(g, nodeOutputs(node));
        return g.toModel(opset);
    }

    /**
     * The same function through a time-first node: ONNX Runtime's CPU kernels refuse
     * {@code layout = 1}, so batch-first cases are compared with transposes around a
     * layout-0 node, which is what the spec defines layout 1 to mean.
     */
    Model timeFirstEquivalent() {
        if (!batchFirst) {
            return model();
        }
        GraphBuilder g = GraphBuilder.create(op.toLowerCase() + "_time_first");
        Value x = transpose(g, g.input("x", type, batchFirstDims()), 1, 0, 2);
        Value initialH = initialState ? transpose(g, g.input("initial_h", type, stateDims()), 1, 0, 2) : null;
        Value initialC = initialState && op.equals("LSTM")
                ? transpose(g, g.input("initial_c", type, stateDims()), 1, 0, 2) : null;
        List<Value> outputs = new ArrayList<>(nodeOutputs(recurrentNode(g, x, initialH, initialC)));
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) != null) {
                outputs.set(i, i == 0 ? transpose(g, outputs.get(i), 2, 0, 1, 3) : transpose(g, outputs.get(i), 1, 0, 2));
            }
        }
        finish(g, outputs);
        return g.toModel(opset);
    }

    /** Random values for every graph input, in [-1, 1), from {@code seed}. */
    Map<String, Tensor> feeds(long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        long[] xDims = batchFirst ? new long[] {BATCH, SEQUENCE, INPUT} : new long[] {SEQUENCE, BATCH, INPUT};
        feeds.put("x", random(random, "x", xDims));
        long directions = directions();
        feeds.put("w", random(random, "w", directions, gates * HIDDEN, INPUT));
        feeds.put("r", random(random, "r", directions, gates * HIDDEN, HIDDEN));
        if (bias) {
            feeds.put("b", random(random, "b", directions, 2 * gates * HIDDEN));
        }
        long[] stateDims = batchFirst ? new long[] {BATCH, directions, HIDDEN} : new long[] {directions, BATCH, HIDDEN};
        if (initialState) {
            feeds.put("initial_h", random(random, "initial_h", stateDims));
            if (op.equals("LSTM")) {
                feeds.put("initial_c", random(random, "initial_c", stateDims));
            }
        }
        if (peepholes) {
            feeds.put("p", random(random, "p", directions, 3 * HIDDEN));
        }
        if (sequenceLens) {
            feeds.put("lengths", Tensor.ofInts("lengths", new long[] {BATCH}, 1, (int) SEQUENCE));
        }
        return feeds;
    }

    @Override
    public String toString() {
        return String.join(", ", description);
    }

    private NodeBuilder recurrentNode(GraphBuilder g, Value x, Value initialH, Value initialC) {
        long directions = directions();
        Value w = g.input("w", type, Dim.of(directions), Dim.of(gates * HIDDEN), Dim.of(INPUT));
        Value r = g.input("r", type, Dim.of(directions), Dim.of(gates * HIDDEN), Dim.of(HIDDEN));
        Value b = bias ? g.input("b", type, Dim.of(directions), Dim.of(2 * gates * HIDDEN)) : null;
        Value p = peepholes ? g.input("p", type, Dim.of(directions), Dim.of(3 * HIDDEN)) : null;
        Value lengths = sequenceLens ? g.input("lengths", ElementType.INT32, Dim.of("batch")) : null;
        List<Value> inputs = new ArrayList<>(List.of(x, w, r));
        inputs.add(b);
        inputs.add(lengths);
        inputs.add(initialH);
        if (op.equals("LSTM")) {
            inputs.add(initialC);
            inputs.add(p);
        }
        while (inputs.get(inputs.size() - 1) == null) {
            inputs.remove(inputs.size() - 1);
        }
        NodeBuilder node = g.node(op).name("rec").inputs(inputs.toArray(new Value[0]))
                .attr("hidden_size", HIDDEN).attr("direction", direction);
        attributes.forEach(node::attr);
        return node;
    }

    /** Y, Y_h and (LSTM) Y_c, with {@code null} for an omitted one. */
    private List<Value> nodeOutputs(NodeBuilder node) {
        if (onlyLastHidden) {
            return node.outputs(null, "rec_y_h");
        }
        return node.outputs(op.equals("LSTM") ? 3 : 2);
    }

    /**
     * Exposes the present outputs as y, y_h and y_c and adds the loss: the sum of squares of
     * each output as the dot product of its flattened elements with themselves. Its gradient
     * needs no Expand, which opset 7 lacks (the gradients of ReduceSum and of a non-scalar
     * loss use it), so the opset-7 cases can run their gradient model.
     */
    private void finish(GraphBuilder g, List<Value> outputs) {
        Value flat = g.initializer(Tensor.ofLongs("flat", new long[] {1}, -1));
        Value loss = null;
        for (int i = 0; i < outputs.size(); i++) {
            Value output = outputs.get(i);
            if (output == null) {
                continue;
            }
            g.output(output, OUTPUT_NAMES.get(i));
            Value elements = g.op("Reshape", output, flat);
            Value term = g.op("MatMul", elements, elements);
            loss = loss == null ? term : g.op("Add", loss, term);
        }
        g.output(loss, "loss");
    }

    private long directions() {
        return direction.equals("bidirectional") ? 2 : 1;
    }

    private static Dim[] timeFirstDims() {
        return new Dim[] {Dim.of(SEQUENCE), Dim.of("batch"), Dim.of(INPUT)};
    }

    private static Dim[] batchFirstDims() {
        return new Dim[] {Dim.of("batch"), Dim.of(SEQUENCE), Dim.of(INPUT)};
    }

    private Dim[] stateDims() {
        return batchFirst
                ? new Dim[] {Dim.of("batch"), Dim.of(directions()), Dim.of(HIDDEN)}
                : new Dim[] {Dim.of(directions()), Dim.of("batch"), Dim.of(HIDDEN)};
    }

    private static Value transpose(GraphBuilder g, Value x, long... perm) {
        return g.node("Transpose").inputs(x).ints("perm", perm).output();
    }

    private Tensor random(Random random, String name, long... dims) {
        int count = 1;
        for (long dim : dims) {
            count *= (int) dim;
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = 2 * random.nextDouble() - 1;
        }
        return GradientCheck.tensor(name, type, dims, values);
    }

    private static String attributeText(Attribute attribute) {
        return switch (attribute.type()) {
            case FLOAT -> Float.toString(attribute.asFloat());
            case INT -> Long.toString(attribute.asInt());
            case STRINGS -> attribute.asStrings().toString();
            default -> attribute.toString();
        };
    }
}
