package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.train.data.Augmentation;
import dev.tern.train.data.AugmentationPlan;
import dev.tern.train.data.GaussianNoise;
import dev.tern.train.data.HorizontalFlip;
import dev.tern.train.data.RandomAffine;
import dev.tern.train.data.RandomErasing;
import dev.tern.train.data.RandomShift;
import java.util.List;
import org.junit.jupiter.api.Test;

class AugmentationListTest {
    @Test
    void itemsBecomeAugmentationsInOrder() {
        List<Augmentation> augmentations = AugmentationList.parse("shift=1, flip,noise=0.05").perImage();

        assertEquals(3, augmentations.size());
        assertInstanceOf(RandomShift.class, augmentations.get(0));
        assertInstanceOf(HorizontalFlip.class, augmentations.get(1));
        assertInstanceOf(GaussianNoise.class, augmentations.get(2));
    }

    @Test
    void rotationScaleAndShearMakeOneAffineAtTheFirstOnesPlace() {
        AugmentationPlan plan = AugmentationList.parse("flip,rotate=15,erase=0.25,scale=0.1,shear=5,mixup=0.2");

        List<Augmentation> perImage = plan.perImage();
        assertEquals(3, perImage.size());
        assertInstanceOf(HorizontalFlip.class, perImage.get(0));
        RandomAffine affine = assertInstanceOf(RandomAffine.class, perImage.get(1));
        assertEquals("RandomAffine[rotation [-15.0, 15.0] degrees, scale [0.9, 1.1], shear [-5.0, 5.0] degrees]",
                affine.toString());
        assertInstanceOf(RandomErasing.class, perImage.get(2));
        assertEquals("Mixup[alpha 0.2]", plan.mixup().orElseThrow().toString());
        assertTrue(AugmentationList.parse("rotate=10").mixup().isEmpty());
    }

    @Test
    void badItemsAreNamed() {
        assertTrue(message("shift").contains("shift=1"));
        assertTrue(message("noise=loud").contains("noise=loud"));
        assertTrue(message("blur").contains("'blur'"));
        assertTrue(message("rotate=abc").contains("rotate=abc: 'abc' is not a number"), message("rotate=abc"));
        assertTrue(message("scale=1.5").contains("scale=1.5") && message("scale=1.5").contains("[0, 1)"));
        assertTrue(message("erase=-0.1").contains("erase=-0.1"), message("erase=-0.1"));
        assertTrue(message("mixup=0").contains("mixup=0"), message("mixup=0"));
        assertTrue(message("rotate=5,rotate=10").contains("'rotate' is given twice"));
        assertTrue(message("shear=90").contains("shear=90"), message("shear=90"));
    }

    private static String message(String spec) {
        return assertThrows(CliFailure.class, () -> AugmentationList.parse(spec)).getMessage();
    }
}
