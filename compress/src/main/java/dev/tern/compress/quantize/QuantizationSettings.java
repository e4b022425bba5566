package dev.tern.compress.quantize;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to quantize and how: weight scales per tensor or per output channel, symmetric or
 * asymmetric activations, the calibration method of static quantization, and op types or node
 * names to leave in float. Immutable; made by {@link #builder()}.
 */
public final class QuantizationSettings {
    private final boolean perChannel;
    private final boolean symmetricActivations;
    private final CalibrationMethod calibration;
    private final double percentile;
    private final Set<String> exclude;

    private QuantizationSettings(Builder builder) {
        this.perChannel = builder.perChannel;
        this.symmetricActivations = builder.symmetricActivations;
        this.calibration = builder.calibration;
        this.percentile = builder.percentile;
        this.exclude = Set.copyOf(builder.exclude);
    }

    /** Per-tensor weights, asymmetric uint8 activations, MinMax calibration (99.999 for Percentile), nothing excluded. */
    public static QuantizationSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether weights get one scale per output channel (axis 0 of a Conv weight, the output axis of MatMul and Gemm). */
    public boolean perChannel() {
        return perChannel;
    }

    /** Whether static activations are int8 with zero point 0 rather than uint8 with a fitted zero point. */
    public boolean symmetricActivations() {
        return symmetricActivations;
    }

    /** How static quantization picks each activation's range. */
    public CalibrationMethod calibration() {
        return calibration;
    }

    /** The percentage of values {@link CalibrationMethod#PERCENTILE} keeps inside the range. */
    public double percentile() {
        return percentile;
    }

    /** Op types and node names (an unnamed node's first output name) left in float. */
    public Set<String> exclude() {
        return exclude;
    }

    /** Whether {@code opType} or {@code nodeName} is {@linkplain #exclude() excluded}. */
    public boolean excludes(String opType, String nodeName) {
        return exclude.contains(opType) || (!nodeName.isEmpty() && exclude.contains(nodeName));
    }

    @Override
    public String toString() {
        return "QuantizationSettings[perChannel=" + perChannel + ", symmetricActivations=" + symmetricActivations
                + ", calibration=" + calibration + ", percentile=" + percentile + ", exclude=" + exclude + "]";
    }

    /** Collects {@link QuantizationSettings}. */
    public static final class Builder {
        private boolean perChannel;
        private boolean symmetricActivations;
        private CalibrationMethod calibration = CalibrationMethod.MINMAX;
        private double percentile = 99.999;
        private final Set<String> exclude = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder perChannel(boolean enabled) {
            this.perChannel = enabled;
            return this;
        }

        public Builder symmetricActivations(boolean enabled) {
            this.symmetricActivations = enabled;
            return this;
        }

        public Builder calibration(CalibrationMethod method) {
            this.calibration = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The percentage {@link CalibrationMethod#PERCENTILE} keeps; defaults to 99.999.
         *
         * @throws IllegalArgumentException unless 50 &lt; {@code percent} &lt;= 100
         */
        public Builder percentile(double percent) {
            if (!(percent > 50 && percent <= 100)) {
                throw new IllegalArgumentException("percentile must be above 50 and at most 100, found " + percent);
            }
            this.percentile = percent;
            return this;
        }

        /**
         * Leaves nodes of these op types or names in float.
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder exclude(Collection<String> opTypesOrNodeNames) {
            for (String name : opTypesOrNodeNames) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("an excluded op type or node name must not be blank, found '"
                            + name + "'");
                }
                exclude.add(name);
            }
            return this;
        }

        public QuantizationSettings build() {
            return new QuantizationSettings(this);
        }
    }
}
