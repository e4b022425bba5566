package dev.tern.compress.prune;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Puts each mask into the graph in front of its weight, on a copy: every reader of weight
 * {@code w} reads {@code Mul(w, mask)} instead, the mask being the output of a Constant node
 * marked with the metadata {@value #MASK_MARK} (its value the weight's name).
 *
 * <p>Why in the graph rather than re-zeroing the weights after every step: the forward pass
 * reads {@code w * mask}, which is exactly 0 where the mask is, whatever the optimizer does to
 * {@code w} (momentum, Adam's moments and weight decay all move pruned entries); the gradient
 * reaching {@code w} there is exactly 0 as well. Re-applying a mask after each step would copy
 * every weight through the Java heap per step, while the training state otherwise stays in
 * ONNX Runtime's tensors, and would leave the zeros to a callback a caller could forget. A
 * Constant node rather than an initializer keeps the mask out of the weights a fine-tuning
 * recipe trains, since those are the model's float initializers. {@link MaskFolding} turns the
 * trained {@code w * mask} back into a plain weight with zeros.
 *
 * <p>Requires: each masked weight is a float32 initializer of the mask's shape. Ensures: each
 * masked weight has one reader, its Mul.
 */
public final class MaskInsertion extends Pass {
    /** The metadata key marking a mask's Constant node; its value names the masked weight. */
    public static final String MASK_MARK = "tern.prune.mask";

    private final PruningMasks masks;

    public MaskInsertion(PruningMasks masks) {
        this.masks = Objects.requireNonNull(masks, "masks");
    }

    @Override
    public String name() {
        return "prune-mask-insertion";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        Graph graph = model.graph();
        masks.byWeight().forEach((name, mask) -> {
            Value weight = graph.initializers().get(name);
            if (weight == null || weight.initializer() == null
                    || !Arrays.equals(weight.initializer().dims(), mask.dims())) {
                throw new IllegalStateException("expected a weight initializer '" + name + "' of shape "
                        + Arrays.toString(mask.dims()) + " in model graph '" + graph.name() + "', found "
                        + (weight == null || weight.initializer() == null ? "none" : weight.initializer()));
            }
        });
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        if (graph.nodes().isEmpty()) {
            return false;
        }
        GraphEditor editor = GraphEditor.of(graph).insertBefore(graph.nodes().get(0));
        masks.byWeight().forEach((name, mask) -> {
            Value weight = graph.initializers().get(name);
            List<Value.Use> readers = List.copyOf(weight.uses());
            Node constant = editor.addNode("Constant", List.of(), 1,
                    List.of(Attribute.ofTensor("value", maskTensor(editor, name, mask))));
            constant.metadataProps().put(MASK_MARK, name);
            constant.output(0).setType(mask.type());
            Value masked = editor.addOp("Mul", weight, constant.output(0));
            masked.setType(weight.type());
            for (Value.Use reader : readers) {
                reader.node().setInput(reader.inputIndex(), masked);
            }
        });
        return !masks.byWeight().isEmpty();
    }

    @Override
    protected void ensures(Model model) {
        for (String name : masks.byWeight().keySet()) {
            List<Value.Use> readers = model.graph().initializers().get(name).uses();
            if (readers.size() != 1 || !readers.get(0).node().opType().equals("Mul")) {
                throw new IllegalStateException("weight '" + name + "' should be read by its mask's Mul only, found "
                        + readers.stream().map(use -> use.node().describe()).toList());
            }
        }
    }

    private static Tensor maskTensor(GraphEditor editor, String weight, Tensor mask) {
        return mask.withName(editor.freshName(weight + ".mask"));
    }
}
