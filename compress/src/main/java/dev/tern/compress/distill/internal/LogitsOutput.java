package dev.tern.compress.distill.internal;

import dev.tern.compress.distill.DistillationException;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.List;

/**
 * Finds the output of a teacher or student that holds its logits: float class scores
 * {@code [batch, classes]} with a known class count, not yet turned into probabilities (the
 * temperature divides logits; a Softmax's output would be softened twice).
 */
public final class LogitsOutput {
    private LogitsOutput() {
    }

    /**
     * The output of {@code model} (called {@code role} in errors) named {@code name}, or its first
     * output when {@code name} is null, checked to hold logits.
     *
     * @throws DistillationException naming the role, the model's graph and the output if there is
     *     no such output, it is not a float tensor {@code [batch, classes]} with a known class
     *     count, or a Softmax or LogSoftmax makes it
     */
    public static Value find(String role, Model model, String name) {
        List<Value> outputs = model.graph().outputs();
        String graph = role + " (graph '" + model.graph().name() + "')";
        if (outputs.isEmpty()) {
            throw new DistillationException(graph + " has no output; expected logits [batch, classes]");
        }
        Value output = name == null ? outputs.get(0) : outputs.stream()
                .filter(value -> value.name().equals(name)).findFirst()
                .orElseThrow(() -> new DistillationException(graph + " has no output '" + name + "'; its outputs are "
                        + outputs.stream().map(Value::name).toList()));
        if (classCount(output) < 2) {
            throw new DistillationException(graph + " output '" + output.name()
                    + "': expected float logits [batch, classes] with a known class count of at least 2, found "
                    + output.type());
        }
        Node producer = output.producer();
        if (producer != null && (producer.opType().equals("Softmax") || producer.opType().equals("LogSoftmax"))) {
            throw new DistillationException(graph + " output '" + output.name() + "': expected logits, found the output"
                    + " of " + producer.describe() + "; distillation softens logits with its temperature, so give the"
                    + " output of the scores before the " + producer.opType());
        }
        return output;
    }

    /** The known class count of logits {@code [batch, classes]} of float, or -1. */
    public static long classCount(Value logits) {
        if (logits.type() instanceof ValueType.TensorType tensor && tensor.elementType() == ElementType.FLOAT
                && tensor.shape().isRankKnown() && tensor.shape().rank() == 2
                && tensor.shape().dim(1) instanceof Dim.Known known) {
            return known.size();
        }
        return -1;
    }
}
