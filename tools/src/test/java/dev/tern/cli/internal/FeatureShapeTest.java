package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeatureShapeTest {
    @Test
    void sizesJoinedByXParse() {
        assertArrayEquals(new long[] {1, 8, 8}, FeatureShape.parse("1x8x8"));
        assertArrayEquals(new long[] {64}, FeatureShape.parse("64"));
    }

    @Test
    void badShapesNameTheExpectedForm() {
        assertTrue(assertThrows(CliFailure.class, () -> FeatureShape.parse("1x0x8")).getMessage().contains("as 1x8x8"));
        assertThrows(CliFailure.class, () -> FeatureShape.parse("8x"));
        assertThrows(CliFailure.class, () -> FeatureShape.parse("eight"));
    }
}
