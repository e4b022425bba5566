package dev.tern.train.data;

import dev.tern.train.data.internal.AffineWarp;

import java.util.Random;

/**
 * Rotates, scales and shears each image about its centre by amounts drawn uniformly from
 * configured ranges, sampling bilinearly (as torchvision's {@code RandomAffine} without
 * translation; {@link RandomShift} moves images). Points mapped from outside the image are 0.
 * Every example draws its angle, scale and shear, in that order, whatever the ranges, so one
 * range's value does not change the others' draws. Immutable and thread-safe.
 *
 * <pre>{@code
 * Augmentation affine = RandomAffine.builder().rotation(15).scale(0.9, 1.1).build();
 * }</pre>
 */
public final class RandomAffine implements Augmentation {
    private final Range rotation;
    private final Range scale;
    private final Range shear;

    private RandomAffine(Builder builder) {
        this.rotation = builder.rotation;
        this.scale = builder.scale;
        this.shear = builder.shear;
    }

    /** A builder whose ranges start as the identity: no rotation, scale 1, no shear. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void apply(float[] values, int offset, ImageShape shape, Random random) {
        double angle = rotation.draw(random);
        double factor = scale.draw(random);
        double shearAngle = shear.draw(random);
        AffineWarp.of(angle, factor, shearAngle).apply(values, offset, shape.channels(), shape.height(), shape.width());
    }

    @Override
    public String toString() {
        return "RandomAffine[rotation " + rotation + " degrees, scale " + scale + ", shear " + shear + " degrees]";
    }

    /** A closed interval values are drawn from uniformly. */
    private record Range(double min, double max) {
        double draw(Random random) {
            return min + (max - min) * random.nextDouble();
        }

        @Override
        public String toString() {
            return "[" + min + ", " + max + "]";
        }
    }

    /** The ranges of a {@link RandomAffine}; every setter checks its arguments at once. */
    public static final class Builder {
        private Range rotation = new Range(0, 0);
        private Range scale = new Range(1, 1);
        private Range shear = new Range(0, 0);

        private Builder() {
        }

        /**
         * Rotation by up to {@code maxDegrees} either way (counter-clockwise when positive).
         *
         * @throws DatasetException if {@code maxDegrees} is negative or not finite
         */
        public Builder rotation(double maxDegrees) {
            requireNonNegative("rotation", maxDegrees);
            return rotation(-maxDegrees, maxDegrees);
        }

        /**
         * Rotation by an angle in [{@code minDegrees}, {@code maxDegrees}].
         *
         * @throws DatasetException if a bound is not finite or they are out of order
         */
        public Builder rotation(double minDegrees, double maxDegrees) {
            this.rotation = range("rotation", minDegrees, maxDegrees);
            return this;
        }

        /**
         * Scaling by a factor in [{@code min}, {@code max}]; above 1 enlarges.
         *
         * @throws DatasetException if {@code min} is not above 0, a bound is not finite, or they are out of order
         */
        public Builder scale(double min, double max) {
            if (!(min > 0)) {
                throw new DatasetException("the smallest scale factor must be above 0, found " + min);
            }
            this.scale = range("scale", min, max);
            return this;
        }

        /**
         * Shearing along x by up to {@code maxDegrees} either way.
         *
         * @throws DatasetException if {@code maxDegrees} is negative or not below 90
         */
        public Builder shear(double maxDegrees) {
            requireNonNegative("shear", maxDegrees);
            return shear(-maxDegrees, maxDegrees);
        }

        /**
         * Shearing along x by an angle in [{@code minDegrees}, {@code maxDegrees}]: a point
         * {@code y} rows below the centre moves {@code y tan(angle)} to the right.
         *
         * @throws DatasetException if a bound is not strictly between -90 and 90 or they are out of order
         */
        public Builder shear(double minDegrees, double maxDegrees) {
            if (!(Math.abs(minDegrees) < 90 && Math.abs(maxDegrees) < 90)) {
                throw new DatasetException("shear must be strictly between -90 and 90 degrees, found ["
                        + minDegrees + ", " + maxDegrees + "]");
            }
            this.shear = range("shear", minDegrees, maxDegrees);
            return this;
        }

        /** The augmentation. */
        public RandomAffine build() {
            return new RandomAffine(this);
        }

        private static void requireNonNegative(String what, double degrees) {
            if (!(degrees >= 0) || Double.isInfinite(degrees)) {
                throw new DatasetException(what + " must be finite and 0 or more degrees, found " + degrees);
            }
        }

        private static Range range(String what, double min, double max) {
            if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
                throw new DatasetException(what + " range must be finite with min <= max, found ["
                        + min + ", " + max + "]");
            }
            return new Range(min, max);
        }
    }
}
