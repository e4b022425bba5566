package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;

import java.util.Arrays;

/**
 * Appends a sentence-classification head to an encoder: the hidden states of the tokens the
 * attention mask keeps are averaged (padding does not dilute the mean), then one dense layer
 * maps the average to logits. The encoder's own outputs are replaced by the logits. Written
 * in the encoder's opset, so the result imports nothing new. A pass that works on a copy; it
 * requires a {@code [batch, tokens, hidden]} encoder that fits the weight, and ensures a valid model.
 */
public final class MeanPoolingHead extends Pass {
    /** Keeps the mean finite for an all-padding row, whose masked sum is 0 as well. */
    private static final double MIN_TOKEN_COUNT = 1e-9;

    private final String hiddenOutput;
    private final String maskInput;
    private final Tensor weight;
    private final Tensor bias;
    private final String logitsName;

    private MeanPoolingHead(String hiddenOutput, String maskInput, Tensor weight, Tensor bias, String logitsName) {
        this.hiddenOutput = hiddenOutput;
        this.maskInput = maskInput;
        this.weight = weight;
        this.bias = bias;
        this.logitsName = logitsName;
    }

    /**
     * A copy of {@code encoder} whose only output, {@code logitsName}, is
     * {@code pooled(hiddenOutput, maskInput) x weight + bias}. The encoder is not changed.
     *
     * @param weight the dense layer's weight, {@code [hidden, classes]}, named as the
     *     initializer should be
     * @param bias the dense layer's bias, {@code [classes]}
     * @throws TrainingException if the hidden output or the mask input is missing, or their
     *     ranks, types or sizes do not fit a {@code [batch, tokens, hidden]} encoder
     */
    public static Model attach(Model encoder, String hiddenOutput, String maskInput, Tensor weight, Tensor bias,
                               String logitsName) {
        MeanPoolingHead head = new MeanPoolingHead(hiddenOutput, maskInput, weight, bias, logitsName);
        return TrainPasses.apply(head, encoder, TrainingException.class).model();
    }

    @Override
    public String name() {
        return "mean-pooling-head";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model encoder) {
        Value hidden = hiddenStates(encoder.graph(), hiddenOutput);
        if (weight.dims().length != 2 || weight.dims()[0] != ValueTypes.size(hidden, 2)) {
            throw new TrainingException("the head's weight '" + weight.name() + "' must be [" + ValueTypes.size(hidden, 2)
                    + ", classes] for encoder output '" + hiddenOutput + "', found " + Arrays.toString(weight.dims()));
        }
        maskInput(encoder.graph(), maskInput);
        opset(encoder);
    }

    @Override
    protected boolean run(Model copy) {
        Graph graph = copy.graph();
        Value hidden = hiddenStates(graph, hiddenOutput);
        Value mask = maskInput(graph, maskInput);
        Ops ops = new Ops(new GraphEmitter(graph), opset(copy));

        Value keep = ops.unsqueeze(ops.cast(mask, ElementType.FLOAT), -1);
        Value summed = ops.reduceSum(ops.mul(hidden, keep), new long[] {1}, false);
        Value count = ops.op("Max", ops.reduceSum(keep, new long[] {1}, false),
                ops.emitter().scalar(MIN_TOKEN_COUNT, ElementType.FLOAT));
        Value pooled = ops.div(summed, count);
        Value logits = ops.add(ops.op("MatMul", pooled, graph.addInitializer(weight)), graph.addInitializer(bias));

        while (!graph.outputs().isEmpty()) {
            graph.removeOutput(graph.outputs().size() - 1);
        }
        Dim batch = ValueTypes.dims(hidden).get(0);
        logits.rename(logitsName);
        logits.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(batch, Dim.of(bias.dims()[0]))));
        graph.addOutput(logits);
        return true;
    }

    @Override
    protected void ensures(Model copy) {
        copy.validate();
    }

    /**
     * The hidden size of {@code encoder}'s output {@code hiddenOutput}.
     *
     * @throws TrainingException if there is no such output, or it is not float
     *     {@code [batch, tokens, hidden]} with a known hidden size
     */
    public static int hiddenSize(Model encoder, String hiddenOutput) {
        return Math.toIntExact(ValueTypes.size(hiddenStates(encoder.graph(), hiddenOutput), 2));
    }

    private static Value hiddenStates(Graph graph, String name) {
        Value hidden = graph.outputs().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new TrainingException("encoder graph '" + graph.name() + "' has no output '" + name
                        + "'; its outputs are " + graph.outputs().stream().map(Value::name).toList()));
        if (!(hidden.type() instanceof ValueType.TensorType tensor) || tensor.elementType() != ElementType.FLOAT
                || !tensor.shape().isRankKnown() || tensor.shape().rank() != 3 || ValueTypes.size(hidden, 2) < 1) {
            throw new TrainingException("encoder output '" + name
                    + "' must be float [batch, tokens, hidden] with a known hidden size, found " + hidden.type());
        }
        return hidden;
    }

    private static long opset(Model encoder) {
        return Ops.defaultOpset(encoder).orElseThrow(() -> new TrainingException("encoder graph '"
                + encoder.graph().name() + "' imports no ai.onnx opset; the head is written in ai.onnx ops, found imports "
                + encoder.opsetImports()));
    }

    private static Value maskInput(Graph graph, String name) {
        Value mask = graph.inputs().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new TrainingException("encoder graph '" + graph.name() + "' has no input '" + name
                        + "'; its inputs are " + graph.inputs().stream().map(Value::name).toList()));
        if (ValueTypes.rank(mask) != 2) {
            throw new TrainingException("attention mask '" + name + "' must be [batch, tokens], found " + mask.type());
        }
        return mask;
    }
}
