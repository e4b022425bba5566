package dev.tern.train.report.internal;

import java.util.Locale;

/**
 * "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering a data range, after
 * Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990).
 *
 * @param min the first tick, at or below the data minimum
 * @param max the last tick, at or above the data maximum
 * @param step the distance between ticks
 */
public record Ticks(double min, double max, double step) {
    private static final int TARGET_TICKS = 6;

    /** Ticks covering {@code [low, high]}; a single value gets a unit range around it. */
    public static Ticks covering(double low, double high) {
        if (high - low < 1e-12) {
            double pad = Math.max(Math.abs(low) * 0.1, 1e-3);
            low -= pad;
            high += pad;
        }
        double step = nice((high - low) / (TARGET_TICKS - 1));
        return new Ticks(Math.floor(low / step) * step, Math.ceil(high / step) * step, step);
    }

    /** Like {@link #covering} but with whole-number steps, for epoch axes. */
    public static Ticks coveringIntegers(double low, double high) {
        Ticks ticks = covering(low, high);
        if (ticks.step >= 1) {
            return ticks;
        }
        return new Ticks(Math.floor(low), Math.max(Math.ceil(high), Math.floor(low) + 1), 1);
    }

    /** The number of ticks from min to max inclusive. */
    public int count() {
        return (int) Math.round((max - min) / step) + 1;
    }

    /** The value of tick {@code i}. */
    public double value(int i) {
        return min + i * step;
    }

    /** A tick value with as many decimals as the step needs and no more. */
    public String label(double value) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static double nice(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return niceFraction * magnitude;
    }
}
