package dev.tern.train;

import dev.tern.exec.Runtime;
import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.NodeBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One op under a finite-difference check: the op's inputs (random differentiable inputs fed
 * at run time, constants as initializers), its attributes, and a loss sum(y * y) over each
 * output, which weights every output element by a different, nonzero amount.
 */
final class OpCase {
    /**
     * Where random input values lie: away from 0 (so no kink of Relu, Abs, ... is crossed),
     * positive (Log, Sqrt, Pow), above 1 (Acosh), inside (-0.8, 0.8) and away from 0 (Atanh),
     * between 0.5 and 5 in magnitude (HardSwish's kinks at -3 and 3 and what lies beyond), or a
     * shuffled grid 0.05 apart (so a max-pool window's maximum stays the maximum under a float
     * finite-difference step of 0.01).
     */
    enum Values { SIGNED, POSITIVE, ABOVE_ONE, WITHIN_UNIT, WIDE, SPREAD }

    private record Input(String name, ElementType type, Dim[] declared, long[] sizes, Values values, Tensor constant) {
    }

    private final String opType;
    private long opset = 17;
    private int outputCount = 1;
    private final List<Input> inputs = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private final Random random = new Random(7);

    private OpCase(String opType) {
        this.opType = opType;
    }

    static OpCase of(String opType) {
        return new OpCase(opType);
    }

    OpCase opset(long version) {
        this.opset = version;
        return this;
    }

    OpCase outputs(int count) {
        this.outputCount = count;
        return this;
    }

    /** A differentiable input of static shape {@code sizes}. */
    OpCase input(ElementType type, long... sizes) {
        return input(type, Values.SIGNED, sizes);
    }

    OpCase input(ElementType type, Values values, long... sizes) {
        Dim[] declared = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            declared[i] = Dim.of(sizes[i]);
        }
        inputs.add(new Input("x" + inputs.size(), type, declared, sizes, values, null));
        return this;
    }

    /** A differentiable input whose first dimension is declared as the symbol "batch" and fed with {@code sizes[0]}. */
    OpCase batchedInput(ElementType type, long... sizes) {
        return batchedInput(type, Values.SIGNED, sizes);
    }

    OpCase batchedInput(ElementType type, Values values, long... sizes) {
        Dim[] declared = new Dim[sizes.length];
        declared[0] = Dim.of("batch");
        for (int i = 1; i < sizes.length; i++) {
            declared[i] = Dim.of(sizes[i]);
        }
        inputs.add(new Input("x" + inputs.size(), type, declared, sizes, values, null));
        return this;
    }

    /** A constant input (shape, axes, indices, condition), held as an initializer and not differentiated. */
    OpCase constant(Tensor tensor) {
        inputs.add(new Input("c" + inputs.size(), tensor.elementType(), null, tensor.dims(), null, tensor));
        return this;
    }

    /** An omitted optional input. */
    OpCase absent() {
        inputs.add(null);
        return this;
    }

    OpCase attr(Attribute attribute) {
        attributes.add(attribute);
        return this;
    }

    /** Builds the graph and checks the gradient of every differentiable input. */
    void check(Runtime runtime) {
        GraphBuilder g = GraphBuilder.create(opType.toLowerCase() + "_case");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> wrt = new ArrayList<>();
        Value[] nodeInputs = new Value[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            if (input == null) {
                continue;
            }
            if (input.constant() != null) {
                nodeInputs[i] = g.initializer(input.name(), input.constant());
                continue;
            }
            nodeInputs[i] = g.input(input.name(), input.type(), input.declared());
            feeds.put(input.name(), GradientCheck.tensor(input.name(), input.type(), input.sizes(), randoms(input)));
            wrt.add(input.name());
        }
        NodeBuilder node = g.node(opType).name("op").inputs(nodeInputs);
        attributes.forEach(node::attr);
        List<Value> outputs = node.outputs(outputCount);
        Value loss = null;
        for (Value output : outputs) {
            Value term = g.op("ReduceSum", g.op("Mul", output, output));
            loss = loss == null ? term : g.op("Add", loss, term);
        }
        g.output(loss, "loss");
        GradientCheck.check(runtime, g.toModel(opset), "loss", feeds, wrt);
    }

    private double[] randoms(Input input) {
        long count = 1;
        for (long size : input.sizes()) {
            count *= size;
        }
        double[] values = new double[(int) count];
        if (input.values() == Values.SPREAD) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (i - values.length / 2) * 0.05;
            }
            shuffle(values);
            return values;
        }
        for (int i = 0; i < values.length; i++) {
            double magnitude = 0.1 + 0.9 * random.nextDouble();
            values[i] = switch (input.values()) {
                case POSITIVE -> 0.5 + magnitude;
                case ABOVE_ONE -> 1 + magnitude;
                case WITHIN_UNIT -> randomSign() * 0.8 * magnitude;
                case WIDE -> randomSign() * 5 * magnitude;
                default -> randomSign() * magnitude;
            };
        }
        return values;
    }

    private double randomSign() {
        return random.nextBoolean() ? 1 : -1;
    }

    private void shuffle(double[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
