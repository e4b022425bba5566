package dev.tern.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    @Test
    void classesFollowSortedFolderNamesAndPixelsSurvive() throws IOException {
        writeGrey("zebra/a.png", 4, 4, 200);
        writeGrey("cat/b.png", 4, 4, 10);
        writeGrey("cat/a.png", 4, 4, 50);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");

        Dataset data = ImageFolderReader.of(root).size(4, 4).read();

        assertEquals(List.of("cat", "zebra"), data.classNames());
        assertEquals(3, data.size());
        assertArrayEquals(new long[] {1, 4, 4}, data.featureShape());
        // Sorted file names within a class: cat/a.png (50) before cat/b.png (10).
        assertEquals(0, data.classLabel(0));
        assertEquals(50f, data.features(0)[5]);
        assertEquals(10f, data.features(1)[5]);
        assertEquals(1, data.classLabel(2));
        assertEquals(200f, data.features(2)[0]);
    }

    @Test
    void rgbImagesKeepChannelsAndResize() throws IOException {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, (255 << 16) | (128 << 8) | 0);
            }
        }
        Files.createDirectories(root.resolve("only"));
        ImageIO.write(image, "png", root.resolve("only/red.png").toFile());

        Dataset rgb = ImageFolderReader.of(root).size(3, 4).colorMode(ColorMode.RGB).read();
        Dataset grey = ImageFolderReader.of(root).size(3, 4).read();

        assertArrayEquals(new long[] {3, 3, 4}, rgb.featureShape());
        float[] pixels = rgb.features(0);
        assertEquals(255f, pixels[0], 1e-4);
        assertEquals(128f, pixels[12], 1e-4);
        assertEquals(0f, pixels[24], 1e-4);
        assertEquals(0.299f * 255 + 0.587f * 128, grey.features(0)[0], 1e-3);
    }

    @Test
    void resizingAveragesNeighbours() throws IOException {
        // Left half black, right half white: at 3 wide the middle pixel samples the edge itself.
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 0, 255, 255});
        Files.createDirectories(root.resolve("c"));
        ImageIO.write(image, "png", root.resolve("c/edge.png").toFile());

        float[] pixels = ImageFolderReader.of(root).size(1, 3).read().features(0);

        assertArrayEquals(new float[] {0f, 127.5f, 255f}, pixels, 1e-3f);
    }

    @Test
    void undecodableFileIsNamed() throws IOException {
        Files.createDirectories(root.resolve("c"));
        Path broken = root.resolve("c/broken.png");
        Files.writeString(broken, "this is not a png");

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderReader.of(root).size(2, 2).read());
        assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());
    }

    @Test
    void emptyClassFolderIsRefused() throws IOException {
        Files.createDirectories(root.resolve("empty"));

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderReader.of(root).size(2, 2).read());
        assertTrue(e.getMessage().contains("class folder has no .png, .jpg or .jpeg files"), e.getMessage());
    }

    private void writeGrey(String relative, int width, int height, int level) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = new int[width * height];
        Arrays.fill(samples, level);
        image.getRaster().setSamples(0, 0, width, height, 0, samples);
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
