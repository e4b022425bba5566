package dev.tern.train.data;

/**
 * The layout of image-shaped features: {@code channels} planes of {@code height} rows of
 * {@code width} values, row-major.
 */
public record ImageShape(int channels, int height, int width) {

    /**
     * The image layout of a feature shape {@code [channels, height, width]} or {@code [height, width]}.
     *
     * @throws DatasetException for any other rank
     */
    public static ImageShape of(long[] featureShape) {
        return switch (featureShape.length) {
            case 2 -> new ImageShape(1, (int) featureShape[0], (int) featureShape[1]);
            case 3 -> new ImageShape((int) featureShape[0], (int) featureShape[1], (int) featureShape[2]);
            default -> throw new DatasetException("image augmentation needs features of shape [channels, height, width]"
                    + " or [height, width], found [" + Shapes.format(featureShape).replace('x', ',')
                    + "]; read CSV images with a feature shape such as 1x8x8");
        };
    }

    /** The number of values in one image. */
    public int size() {
        return channels * height * width;
    }
}
