package dev.tern.train.lora;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Model;
import java.util.List;
import java.util.Objects;

/**
 * What a LoRA fine-tuning produced beside its merged model: the trained adapter and the base
 * model ONNX Runtime applies it to.
 *
 * @param adapter each target's {@code A} and scaled {@code B}, then the other trained weights
 *     (a task head), which replace the base's initializers of their names whole
 * @param base the original model with an optional input for every adapter parameter (see
 *     {@link LoraInsertion#forAdapters} and {@link LoraAdapters#addOptionalInputs})
 * @param targets the names of the adapted weights' targets ({@link LoraTarget#name()}), in node order
 */
public record LoraResult(AdapterFile adapter, Model base, List<String> targets) {
    public LoraResult {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(base, "base");
        targets = List.copyOf(targets);
    }
}
