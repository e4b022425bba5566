package dev.tern.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a quantized tensor's quantization parameters live: the names of the tensors holding
 * them, by role. ONNX predefines the roles {@value #SCALE} and {@value #ZERO_POINT} for linear
 * quantization; other keys are kept as they are. A graph keeps these by the name of the tensor
 * they describe ({@link Graph#quantizationAnnotations()}). Immutable.
 *
 * @param parameterTensors tensor names by role, in the order given
 */
public record QuantizationAnnotation(Map<String, String> parameterTensors) {
    /** The role of the tensor holding the scale. */
    public static final String SCALE = "SCALE_TENSOR";
    /** The role of the tensor holding the zero point. */
    public static final String ZERO_POINT = "ZERO_POINT_TENSOR";

    /**
     * @throws NullPointerException if the map, a role or a tensor name is null
     */
    public QuantizationAnnotation {
        Map<String, String> copy = new LinkedHashMap<>();
        parameterTensors.forEach((role, tensor) -> copy.put(Objects.requireNonNull(role, "role"),
                Objects.requireNonNull(tensor, () -> "tensor name for role '" + role + "'")));
        parameterTensors = Collections.unmodifiableMap(copy);
    }

    /** The annotation of linear quantization: a scale tensor and a zero-point tensor. */
    public static QuantizationAnnotation linear(String scaleTensor, String zeroPointTensor) {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(SCALE, Objects.requireNonNull(scaleTensor, "scaleTensor"));
        roles.put(ZERO_POINT, Objects.requireNonNull(zeroPointTensor, "zeroPointTensor"));
        return new QuantizationAnnotation(roles);
    }

    /** The name of the tensor holding the scale, if the annotation names one. */
    public Optional<String> scaleTensor() {
        return Optional.ofNullable(parameterTensors.get(SCALE));
    }

    /** The name of the tensor holding the zero point, if the annotation names one. */
    public Optional<String> zeroPointTensor() {
        return Optional.ofNullable(parameterTensors.get(ZERO_POINT));
    }
}
