package dev.tern.exec;

import dev.tern.ir.ValueType;
import java.util.Objects;

/**
 * One input or output of a compiled model as ONNX Runtime sees it: its name and type. A tensor
 * type's shape keeps symbolic dimensions ({@code Dim.Symbolic("batch")}) and unknown ones;
 * dimensions fixed by {@link SessionConfig.Builder#freeDimension} show as known.
 */
public record IoSpec(String name, ValueType type) {
    public IoSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** Whether this is a dense tensor (rather than a sequence or a map). */
    public boolean isTensor() {
        return type instanceof ValueType.TensorType;
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }
}
