package dev.tern.cli.internal;

import dev.tern.train.data.Augmentation;
import dev.tern.train.data.GaussianNoise;
import dev.tern.train.data.HorizontalFlip;
import dev.tern.train.data.RandomShift;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --augment shift=1,flip,noise=0.05}: {@code shift=N} moves images by up to N
 * pixels, {@code flip} mirrors half of them left to right, {@code noise=S} adds Gaussian
 * noise of standard deviation S in the data's raw units (before {@code --scale}).
 */
final class AugmentationList {
    private AugmentationList() {
    }

    /** The augmentations {@code spec} names, in its order. @throws CliFailure (usage) naming the bad item */
    static List<Augmentation> parse(String spec) {
        List<Augmentation> augmentations = new ArrayList<>();
        for (String item : spec.split(",")) {
            String[] parts = item.trim().split("=", 2);
            try {
                augmentations.add(switch (parts[0]) {
                    case "shift" -> new RandomShift(Integer.parseInt(value(parts, item)));
                    case "flip" -> new HorizontalFlip(parts.length == 1 ? 0.5 : Double.parseDouble(parts[1]));
                    case "noise" -> new GaussianNoise(Float.parseFloat(value(parts, item)));
                    default -> throw CliFailure.usage("--augment: unknown '" + item
                            + "', expected shift=PIXELS, flip or noise=STDDEV");
                });
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("--augment " + item + ": " + e.getMessage(), e);
            }
        }
        return augmentations;
    }

    private static String value(String[] parts, String item) {
        if (parts.length < 2) {
            throw CliFailure.usage("--augment: '" + item + "' needs a value, as in " + parts[0] + "=1");
        }
        return parts[1];
    }
}
