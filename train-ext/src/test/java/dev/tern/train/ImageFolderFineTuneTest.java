package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.ScalingMethod;
import dev.tern.train.models.ClassNames;
import dev.tern.train.models.ModelTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library recipe on folders of images, one sub-folder per class: the digits 0, 1 and 2
 * written as 8x8 grey PNGs (every fourth to the validation folder), fed to a CNN.
 */
class ImageFolderFineTuneTest extends LeakCheckedRuntime {
    private static final List<String> FOLDERS = List.of("zero", "one", "two");
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    @TempDir
    static Path temporary;

    private static Path train;
    private static Path validation;

    @BeforeAll
    static void writeImages() throws IOException {
        train = temporary.resolve("train");
        validation = temporary.resolve("validation");
        List<String> lines = Files.readAllLines(DataSets.file("digits.csv"));
        int written = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int digit = Integer.parseInt(cells[64]);
            if (digit >= FOLDERS.size()) {
                continue;
            }
            Path folder = (written % 4 == 3 ? validation : train).resolve(FOLDERS.get(digit));
            Files.createDirectories(folder);
            ImageIO.write(image(cells), "png", folder.resolve(written + ".png").toFile());
            written++;
        }
    }

    /** The first 64 cells, grey levels 0 to 16, as an 8x8 image of levels 0 to 255. */
    private static BufferedImage image(String[] cells) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 64; i++) {
            int level = Math.round(Float.parseFloat(cells[i]) * 255 / 16);
            image.getRaster().setSample(i % 8, i / 8, 0, level);
        }
        return image;
    }

    @Test
    void aCnnLearnsTheFoldersClassesAndTheExportedModelNamesThem() {
        FineTune.Result result;
        try (FineTuneData data = FineTuneData.features(ModelTemplates.cnn(1, 8, 8, 3, 3), train)
                .validation(validation)
                .scaling(ScalingMethod.divideBy(255))
                .batch(32)
                .prepare()) {
            assertEquals(List.of("one", "two", "zero"), data.export().classNames(), "folder names, sorted");
            result = FineTune.builder(data)
                    .optimizer(Optimizer.adam())
                    .schedule(steps -> LearningRateSchedule.constant(3e-3))
                    .epochs(3)
                    .sessionConfig(ONE_THREAD)
                    .build()
                    .run(runtime);
        }

        assertEquals(List.of("one", "two", "zero"), ClassNames.read(result.model()).orElseThrow());
        double validated = result.outcome().history().epochs().get(result.outcome().keptEpoch() - 1)
                .validationAccuracy();
        assertTrue(validated > 0.9, "validation accuracy " + validated);
    }

    @Test
    void foldersThatDoNotFitTheModelOrTheTrainingClassesAreRefusedByName() throws IOException {
        Model fourClasses = ModelTemplates.cnn(1, 8, 8, 4, 3);
        DatasetException classCount = assertThrows(DatasetException.class,
                () -> FineTuneData.features(fourClasses, train).prepare());
        assertEquals(train + ": has 3 class folders [one, two, zero], but the model scores 4 classes",
                classCount.getMessage());

        Path twoFolders = temporary.resolve("two-folders");
        for (String folder : List.of("one", "zero")) {
            Files.createDirectories(twoFolders.resolve(folder));
            try (var images = Files.list(validation.resolve(folder))) {
                Path image = images.findFirst().orElseThrow();
                Files.copy(image, twoFolders.resolve(folder).resolve(image.getFileName()));
            }
        }
        Model cnn = ModelTemplates.cnn(1, 8, 8, 3, 3);
        DatasetException otherClasses = assertThrows(DatasetException.class,
                () -> FineTuneData.features(cnn, train).validation(twoFolders).prepare());
        assertEquals(twoFolders + ": has the class folders [one, zero] but the training data has [one, two, zero]",
                otherClasses.getMessage());

        DatasetException flat = assertThrows(DatasetException.class,
                () -> FineTuneData.features(ModelTemplates.mlp(64, new int[] {8}, 3, 3), train).prepare());
        assertEquals(train + ": images need a feature shape of 1xHxW or 3xHxW, found [64]", flat.getMessage());

        DatasetException numeric = assertThrows(DatasetException.class,
                () -> FineTuneData.features(ModelTemplates.regressionMlp(64, new int[] {8}, 1, 3), train)
                        .loss(Loss.meanSquaredError()).prepare());
        assertTrue(numeric.getMessage().startsWith(train + ": an image folder has class labels"), numeric.getMessage());
    }
}
