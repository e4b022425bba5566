package dev.tern.train.data;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.TrainingException;

/** The shape of one example a model's input takes: its shape after the batch dimension. */
public final class ExampleShape {
    private ExampleShape() {
    }

    /**
     * The shape of one example fed to {@code input} of {@code model}: {@code given} if not
     * null, else the input's shape after the batch dimension.
     *
     * @throws TrainingException naming the model graph if the input takes neither float32
     *     features nor int64 token ids, or its shape is not known and none is given
     */
    public static long[] ofInput(Model model, Value input, long[] given) {
        if (!(input.type() instanceof ValueType.TensorType tensor)
                || (tensor.elementType() != ElementType.FLOAT && tensor.elementType() != ElementType.INT64)) {
            throw new TrainingException("model graph '" + model.graph().name() + "': the first input '" + input.name()
                    + "' is " + input.type() + "; it must take float32 features or int64 token ids");
        }
        if (given != null) {
            return given.clone();
        }
        if (!tensor.shape().isRankKnown() || tensor.shape().rank() < 2
                || !tensor.shape().dims().subList(1, tensor.shape().rank()).stream().allMatch(Dim.Known.class::isInstance)) {
            throw new TrainingException("model graph '" + model.graph().name() + "': the first input '" + input.name()
                    + "' is " + tensor + "; give the shape of one example");
        }
        return tensor.shape().dims().subList(1, tensor.shape().rank()).stream()
                .mapToLong(dim -> ((Dim.Known) dim).size()).toArray();
    }

    /** Whether {@code input} takes int64 token ids, which a CSV holds as whole numbers. */
    public static boolean takesTokenIds(Value input) {
        return input.type() instanceof ValueType.TensorType tensor && tensor.elementType() == ElementType.INT64;
    }
}
