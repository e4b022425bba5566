package dev.tern.onnx.internal;

import dev.tern.ir.Value;
import java.util.HashMap;
import java.util.Map;

/**
 * The values a graph can name: its own (inputs, initializers, node outputs) and, through the
 * enclosing scopes, those of the graphs around a subgraph. Inner names shadow outer ones.
 */
final class Scope {
    private final Scope outer;
    private final Map<String, Value> values = new HashMap<>();

    private Scope(Scope outer) {
        this.outer = outer;
    }

    static Scope root() {
        return new Scope(null);
    }

    Scope child() {
        return new Scope(this);
    }

    /** The value named {@code name} here or in an enclosing scope, or {@code null}. */
    Value lookup(String name) {
        for (Scope scope = this; scope != null; scope = scope.outer) {
            Value value = scope.values.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The value named {@code name} in this scope only, or {@code null}. */
    Value local(String name) {
        return values.get(name);
    }

    void define(String name, Value value) {
        values.put(name, value);
    }
}
