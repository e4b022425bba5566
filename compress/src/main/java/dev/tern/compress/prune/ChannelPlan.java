package dev.tern.compress.prune;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Which output channels structured pruning keeps in each layer, named by the layer's kernel
 * weight, and the layers it leaves whole with the reason (a classifier's last layer, whose
 * channels are the model's output). Made by {@link StructuredPruning#plan}.
 *
 * @param layers the pruned layers in graph order
 * @param untouched the layers left whole: kernel weight name to reason
 */
public record ChannelPlan(List<Layer> layers, Map<String, String> untouched) {
    public ChannelPlan {
        layers = List.copyOf(layers);
        untouched = Collections.unmodifiableMap(new LinkedHashMap<>(untouched));
    }

    /**
     * One layer's kept channels.
     *
     * @param weight the layer's kernel initializer
     * @param channels its output channels before pruning
     * @param kept the channels kept, ascending
     */
    public record Layer(String weight, int channels, int[] kept) {
        public Layer {
            Objects.requireNonNull(weight, "weight");
            kept = kept.clone();
        }

        @Override
        public int[] kept() {
            return kept.clone();
        }

        /** The channels removed, ascending. */
        public int[] removed() {
            return IntStream.range(0, channels)
                    .filter(channel -> Arrays.binarySearch(kept, channel) < 0).toArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Layer other && weight.equals(other.weight) && channels == other.channels
                    && Arrays.equals(kept, other.kept);
        }

        @Override
        public int hashCode() {
            return Objects.hash(weight, channels, Arrays.hashCode(kept));
        }

        @Override
        public String toString() {
            return weight + ": " + kept.length + " of " + channels + " channels";
        }
    }

    /** The layer pruned through {@code weight}, or null. */
    public Layer layer(String weight) {
        return layers.stream().filter(layer -> layer.weight().equals(weight)).findFirst().orElse(null);
    }
}
