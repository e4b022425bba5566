package dev.tern.train.data.internal;

/**
 * An affine map of image planes about their centre: {@code out = M (in - c) + c} with
 * {@code c} the centre pixel's coordinates, pixel centres at whole numbers and y pointing
 * down. Applying it samples each output pixel's source point bilinearly; source points
 * outside the image read 0, so nothing is stretched in from the border. Immutable.
 */
public final class AffineWarp {
    private final double inverse00;
    private final double inverse01;
    private final double inverse10;
    private final double inverse11;

    private AffineWarp(double m00, double m01, double m10, double m11) {
        double determinant = m00 * m11 - m01 * m10;
        this.inverse00 = m11 / determinant;
        this.inverse01 = -m01 / determinant;
        this.inverse10 = -m10 / determinant;
        this.inverse11 = m00 / determinant;
    }

    /**
     * Scaling by {@code scale}, then shearing along x by {@code shearDegrees} (a point
     * {@code y} rows below the centre moves {@code y tan(shear)} to the right), then rotating
     * by {@code rotationDegrees} counter-clockwise as seen on screen.
     *
     * @throws IllegalArgumentException if {@code scale} is not above 0 or the shear is not
     *     strictly between -90 and 90 degrees, which would not be invertible
     */
    public static AffineWarp of(double rotationDegrees, double scale, double shearDegrees) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and above 0, found " + scale);
        }
        if (!(Math.abs(shearDegrees) < 90)) {
            throw new IllegalArgumentException("shear must be strictly between -90 and 90 degrees, found " + shearDegrees);
        }
        double angle = Math.toRadians(rotationDegrees);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double shear = Math.tan(Math.toRadians(shearDegrees));
        // Rotation [cos sin; -sin cos] (counter-clockwise with y down) times shear [1 shear; 0 1], times scale.
        return new AffineWarp(cos * scale, (cos * shear + sin) * scale, -sin * scale, (cos - sin * shear) * scale);
    }

    /**
     * Warps the {@code channels} planes of {@code height} by {@code width} values in
     * {@code values} from {@code offset}, in place.
     */
    public void apply(float[] values, int offset, int channels, int height, int width) {
        int planeSize = height * width;
        float[] source = new float[planeSize];
        double centreX = (width - 1) / 2.0;
        double centreY = (height - 1) / 2.0;
        for (int c = 0; c < channels; c++) {
            int plane = offset + c * planeSize;
            System.arraycopy(values, plane, source, 0, planeSize);
            for (int y = 0; y < height; y++) {
                double dy = y - centreY;
                for (int x = 0; x < width; x++) {
                    double dx = x - centreX;
                    double sourceX = inverse00 * dx + inverse01 * dy + centreX;
                    double sourceY = inverse10 * dx + inverse11 * dy + centreY;
                    values[plane + y * width + x] = sample(source, height, width, sourceX, sourceY);
                }
            }
        }
    }

    private static float sample(float[] plane, int height, int width, double x, double y) {
        int left = (int) Math.floor(x);
        int top = (int) Math.floor(y);
        double fx = x - left;
        double fy = y - top;
        double upper = lerp(pixel(plane, height, width, left, top), pixel(plane, height, width, left + 1, top), fx);
        double lower = lerp(pixel(plane, height, width, left, top + 1), pixel(plane, height, width, left + 1, top + 1), fx);
        return (float) lerp(upper, lower, fy);
    }

    private static double pixel(float[] plane, int height, int width, int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0 : plane[y * width + x];
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }
}
