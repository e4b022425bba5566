package dev.tern.cli.internal;

import dev.tern.train.data.Augmentation;
import dev.tern.train.data.Mixup;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --augment} asks for: changes to each training image, in order, and whether
 * whole batches are blended by mixup.
 *
 * @param perImage the per-image augmentations, maybe none
 * @param mixup mixup, if asked for
 */
record AugmentationPlan(List<Augmentation> perImage, Optional<Mixup> mixup) {
    static final AugmentationPlan NONE = new AugmentationPlan(List.of(), Optional.empty());

    AugmentationPlan {
        perImage = List.copyOf(perImage);
    }
}
