package dev.tern.cli.internal;

import dev.tern.train.data.Augmentation;
import dev.tern.train.data.AugmentationPlan;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.GaussianNoise;
import dev.tern.train.data.HorizontalFlip;
import dev.tern.train.data.Mixup;
import dev.tern.train.data.RandomAffine;
import dev.tern.train.data.RandomErasing;
import dev.tern.train.data.RandomShift;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code --augment shift=1,flip,rotate=15,scale=0.1,erase=0.25,mixup=0.2}:
 * {@code shift=N} moves images by up to N pixels, {@code flip} mirrors half of them left to
 * right, {@code noise=S} adds Gaussian noise of standard deviation S in the data's raw units
 * (before {@code --scale}); {@code rotate=D}, {@code scale=F} and {@code shear=D} rotate by up
 * to D degrees, scale by 1-F to 1+F and shear by up to D degrees, all in one resampling at the
 * place of the first of them; {@code erase=P} erases a random rectangle with probability P;
 * {@code mixup=A} blends each batch with Beta(A, A) weights, last.
 */
final class AugmentationList {
    private static final String EXPECTED = "shift=PIXELS, flip, noise=STDDEV, rotate=DEGREES, scale=FRACTION, "
            + "shear=DEGREES, erase=PROBABILITY or mixup=ALPHA";

    private AugmentationList() {
    }

    /** What {@code spec} names. @throws CliFailure (usage) naming the bad item */
    static AugmentationPlan parse(String spec) {
        List<Augmentation> augmentations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        RandomAffine.Builder affine = null;
        int affinePosition = 0;
        Mixup mixup = null;
        for (String item : spec.split(",")) {
            String[] parts = item.trim().split("=", 2);
            String key = parts[0];
            if (!seen.add(key)) {
                throw CliFailure.usage("--augment: '" + key + "' is given twice");
            }
            try {
                switch (key) {
                    case "shift" -> augmentations.add(new RandomShift(Math.toIntExact(wholeNumber(parts, item))));
                    case "flip" -> augmentations.add(new HorizontalFlip(parts.length == 1 ? 0.5 : number(parts, item)));
                    case "noise" -> augmentations.add(new GaussianNoise((float) number(parts, item)));
                    case "erase" -> augmentations.add(new RandomErasing(number(parts, item)));
                    case "mixup" -> mixup = new Mixup(number(parts, item));
                    case "rotate", "scale", "shear" -> {
                        if (affine == null) {
                            affine = RandomAffine.builder();
                            affinePosition = augmentations.size();
                        }
                        setAffine(affine, key, number(parts, item));
                    }
                    default -> throw CliFailure.usage("--augment: unknown '" + item + "', expected " + EXPECTED);
                }
            } catch (IllegalArgumentException | ArithmeticException | DatasetException e) {
                throw CliFailure.usage("--augment " + item.trim() + ": " + e.getMessage(), e);
            }
        }
        if (affine != null) {
            augmentations.add(affinePosition, affine.build());
        }
        return new AugmentationPlan(augmentations, Optional.ofNullable(mixup));
    }

    private static void setAffine(RandomAffine.Builder affine, String key, double value) {
        switch (key) {
            case "rotate" -> affine.rotation(value);
            case "shear" -> affine.shear(value);
            default -> {
                if (!(value >= 0 && value < 1)) {
                    throw new IllegalArgumentException("scale takes a fraction F in [0, 1) for factors 1-F to 1+F, found "
                            + value);
                }
                affine.scale(1 - value, 1 + value);
            }
        }
    }

    private static double number(String[] parts, String item) {
        String text = value(parts, item);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw CliFailure.usage("--augment " + item.trim() + ": '" + text + "' is not a number", e);
        }
    }

    private static long wholeNumber(String[] parts, String item) {
        String text = value(parts, item);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw CliFailure.usage("--augment " + item.trim() + ": '" + text + "' is not a whole number", e);
        }
    }

    private static String value(String[] parts, String item) {
        if (parts.length < 2) {
            throw CliFailure.usage("--augment: '" + item.trim() + "' needs a value, as in " + parts[0] + "=1");
        }
        return parts[1].trim();
    }
}
