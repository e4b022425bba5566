package dev.tern.train.data.internal;

import dev.tern.train.data.DatasetException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/** Decodes an image file into channel-major float pixels (0-255) of a requested size. */
public final class ImagePixels {
    private ImagePixels() {
    }

    /**
     * The image in {@code file} as {@code [channels, height, width]} floats, row-major, with one
     * channel (grey) or three (red, green, blue).
     *
     * @throws DatasetException if no ImageIO reader decodes the file
     * @throws IOException if the file cannot be read
     */
    public static float[] read(Path file, boolean rgb, int height, int width) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new DatasetException(file + ": not an image that javax.imageio can decode");
        }
        float[][] channels = rgb ? rgbChannels(image) : new float[][] {greyChannel(image)};
        float[] result = new float[channels.length * height * width];
        for (int c = 0; c < channels.length; c++) {
            Bilinear.resize(channels[c], image.getHeight(), image.getWidth(), result, c * height * width, height, width);
        }
        return result;
    }

    private static float[] greyChannel(BufferedImage image) {
        if (isPlainGrey(image)) {
            return greySamples(image);
        }
        float[][] rgb = rgbChannels(image);
        float[] grey = new float[rgb[0].length];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
        }
        return grey;
    }

    private static float[][] rgbChannels(BufferedImage image) {
        if (isPlainGrey(image)) {
            float[] grey = greySamples(image);
            return new float[][] {grey, grey, grey};
        }
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] channels = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                channels[0][y * w + x] = (argb >> 16) & 0xFF;
                channels[1][y * w + x] = (argb >> 8) & 0xFF;
                channels[2][y * w + x] = argb & 0xFF;
            }
        }
        return channels;
    }

    /**
     * Whether the image is a grey (or grey + alpha) raster without a palette. Such images are read
     * from the raster directly: {@code getRGB} would pass them through Java 2D's linear-grey to
     * sRGB conversion and brighten every mid-tone.
     */
    private static boolean isPlainGrey(BufferedImage image) {
        return !(image.getColorModel() instanceof IndexColorModel)
                && image.getColorModel().getNumColorComponents() == 1;
    }

    private static float[] greySamples(BufferedImage image) {
        Raster raster = image.getRaster();
        int bits = image.getColorModel().getComponentSize(0);
        float scale = 255f / ((1 << bits) - 1);
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                grey[y * w + x] = raster.getSample(x, y, 0) * scale;
            }
        }
        return grey;
    }
}
