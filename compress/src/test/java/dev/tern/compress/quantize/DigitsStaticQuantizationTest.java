package dev.tern.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.Split;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The digits target: the CNN template trained on digits, quantized statically in QDQ
 * format with 20 calibration batches of training data, loses at most half a point of validation
 * accuracy, whichever calibration method picks the ranges.
 */
class DigitsStaticQuantizationTest {
    private static final double MAX_DROP = 0.005;

    private static Split digits;
    private static Model cnn;
    private static double floatAccuracy;
    private static List<Map<String, Tensor>> calibration;

    @BeforeAll
    static void train() {
        digits = DigitsCnn.split();
        cnn = DigitsCnn.train(digits, 6);
        floatAccuracy = DigitsCnn.accuracy(cnn, digits.validation());
        calibration = DigitsCnn.batches(digits.train(), 20);
    }

    private static double quantizedAccuracy(QuantizationSettings settings) {
        QuantizationResult result = Quantization.qdq(cnn, settings, calibration);
        // Two convolutions and two dense layers (MatMul and Add in the template).
        assertEquals(Map.of("Conv", 2, "MatMul", 2), result.quantizedOpTypes());
        double accuracy = DigitsCnn.accuracy(result.model(), digits.validation());
        System.out.printf("digits CNN, %s: validation accuracy float %.4f, QDQ int8 %.4f%n", settings, floatAccuracy,
                accuracy);
        return accuracy;
    }

    private static void assertWithinBudget(double accuracy) {
        assertTrue(floatAccuracy >= 0.9, "the float CNN should learn digits, validation accuracy " + floatAccuracy);
        assertTrue(accuracy >= floatAccuracy - MAX_DROP, "float " + floatAccuracy + ", quantized " + accuracy);
    }

    /**
     * Calibrated on pixels divided by 32 instead of 16, every range is half what it should be
     * and quantizing every layer clips badly; the guard keeps the most sensitive layers in float
     * until the drop is within half a point.
     */
    @Test
    void accuracyGuardKeepsTheMostSensitiveLayersInFloatAfterPoorCalibration() {
        List<Map<String, Tensor>> tooDark = DigitsCnn.batches(digits.train(), 20, 32f);
        double allQuantized = DigitsCnn.accuracy(Quantization.qdq(cnn, QuantizationSettings.defaults(), tooDark).model(),
                digits.validation());
        GuardedQuantization guarded = AccuracyGuard.quantize(cnn, QuantizationSettings.defaults(), tooDark,
                DigitsCnn.batches(digits.validation(), 12), model -> DigitsCnn.accuracy(model, digits.validation()),
                100 * MAX_DROP);

        System.out.printf("digits CNN, accuracy guard: float %.4f, all quantized %.4f, guarded %.4f, layers %s%n",
                floatAccuracy, allQuantized, guarded.quantizedScore(), guarded.layers());
        assertTrue(allQuantized < floatAccuracy - MAX_DROP, "poor calibration should cost accuracy: " + allQuantized);
        assertTrue(guarded.dropPoints() <= 100 * MAX_DROP, "drop " + guarded.dropPoints());
        assertEquals(4, guarded.layers().size());
        List<Boolean> quantized = guarded.layers().stream().map(LayerSensitivity::quantized).toList();
        int kept = (int) quantized.stream().filter(q -> !q).count();
        assertTrue(kept >= 1 && kept < 4, "kept in float: " + kept);
        assertEquals(Collections.nCopies(kept, false), quantized.subList(0, kept),
                "the layers kept in float are the most sensitive: " + guarded.layers());
        for (int i = 1; i < guarded.layers().size(); i++) {
            assertTrue(guarded.layers().get(i - 1).error() >= guarded.layers().get(i).error(), "sorted by error");
        }
    }

    @Test
    void perChannelMinMax() {
        assertWithinBudget(quantizedAccuracy(QuantizationSettings.builder().perChannel(true).build()));
    }

    @Test
    void perTensorPercentile() {
        assertWithinBudget(quantizedAccuracy(QuantizationSettings.builder()
                .calibration(CalibrationMethod.PERCENTILE).build()));
    }

    @Test
    void perChannelEntropyWithSymmetricActivations() {
        assertWithinBudget(quantizedAccuracy(QuantizationSettings.builder().perChannel(true)
                .calibration(CalibrationMethod.ENTROPY).symmetricActivations(true).build()));
    }
}
