package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Value;

import java.util.List;

/** Turns a trainable initializer into a graph input of the same name and type, so each run feeds its current value. */
final class WeightInputs {
    private WeightInputs() {
    }

    static Value promote(Graph graph, String name) {
        Value initializer = graph.initializers().get(name);
        Value input = new Value(name, initializer.type());
        initializer.replaceAllUsesWith(input);
        List<Value> outputs = graph.outputs();
        for (int index = 0; index < outputs.size(); index++) {
            if (outputs.get(index) == initializer) {
                graph.setOutput(index, input);
            }
        }
        graph.removeInitializer(name);
        graph.addInput(input);
        return input;
    }
}
