package dev.tern.train.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How training images are augmented: changes to each image, in order, and whether whole
 * batches are then blended by mixup. Immutable.
 *
 * @param perImage the per-image augmentations, maybe none
 * @param mixup mixup, if asked for
 */
public record AugmentationPlan(List<Augmentation> perImage, Optional<Mixup> mixup) {
    /** No augmentation. */
    public static final AugmentationPlan NONE = new AugmentationPlan(List.of(), Optional.empty());

    public AugmentationPlan {
        perImage = List.copyOf(perImage);
        Objects.requireNonNull(mixup, "mixup");
    }

    /** Whether nothing changes the examples. */
    public boolean isEmpty() {
        return perImage.isEmpty() && mixup.isEmpty();
    }
}
