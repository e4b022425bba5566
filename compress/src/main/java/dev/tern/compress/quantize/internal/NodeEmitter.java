package dev.tern.compress.quantize.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Adds nodes and initializers through a {@link GraphEditor} under names built from the node
 * being quantized ({@code <node>/MatMulInteger}, {@code <node>/weight_scale}), so a quantized
 * graph still reads as the float one did.
 */
public final class NodeEmitter {
    private final GraphEditor editor;

    public NodeEmitter(GraphEditor editor) {
        this.editor = editor;
    }

    public GraphEditor editor() {
        return editor;
    }

    /** Adds a node named {@code base/suffix} with {@code outputs} outputs, at the editor's insertion point. */
    public Node node(String base, String suffix, String opType, List<Value> inputs, int outputs, Attribute... attributes) {
        Node node = editor.addNode(opType, inputs, outputs, Arrays.asList(attributes));
        String name = editor.freshName(base + "/" + suffix);
        node.setName(name);
        for (int i = 0; i < outputs; i++) {
            node.output(i).rename(outputs == 1 ? name : editor.freshName(name + ":" + i));
        }
        return node;
    }

    /** Adds a one-output node named {@code base/suffix} and returns its output. */
    public Value op(String base, String suffix, String opType, Value... inputs) {
        return node(base, suffix, opType, Arrays.asList(inputs), 1).output(0);
    }

    /** Adds an initializer named {@code base/suffix} holding {@code tensor}. */
    public Value initializer(String base, String suffix, Tensor tensor) {
        return editor.addInitializer(base + "/" + suffix, tensor);
    }

    /** The name new names of {@code node} start from: its own, or its first output's when it has none. */
    public static String baseName(Node node) {
        return node.name().isEmpty() ? node.output(0).name() : node.name();
    }
}
