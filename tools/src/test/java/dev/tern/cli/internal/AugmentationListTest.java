package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.train.data.Augmentation;
import dev.tern.train.data.GaussianNoise;
import dev.tern.train.data.HorizontalFlip;
import dev.tern.train.data.RandomShift;
import java.util.List;
import org.junit.jupiter.api.Test;

class AugmentationListTest {
    @Test
    void itemsBecomeAugmentationsInOrder() {
        List<Augmentation> augmentations = AugmentationList.parse("shift=1, flip,noise=0.05");

        assertEquals(3, augmentations.size());
        assertInstanceOf(RandomShift.class, augmentations.get(0));
        assertInstanceOf(HorizontalFlip.class, augmentations.get(1));
        assertInstanceOf(GaussianNoise.class, augmentations.get(2));
    }

    @Test
    void badItemsAreNamed() {
        assertTrue(assertThrows(CliFailure.class, () -> AugmentationList.parse("shift")).getMessage().contains("shift=1"));
        assertTrue(assertThrows(CliFailure.class, () -> AugmentationList.parse("noise=loud")).getMessage()
                .contains("noise=loud"));
        assertTrue(assertThrows(CliFailure.class, () -> AugmentationList.parse("blur")).getMessage().contains("'blur'"));
    }
}
