package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.ir.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A model folder for external-data tests, laid out so that a location can try every way out:
 *
 * <pre>
 * root/
 *   outside.bin                 a file the model must never reach
 *   model/
 *     model.onnx                the model under test ({@link #writeModel}); first {@link #seedModel()}
 *     weights.data              the weights of {@link #seedModel()}, written by the exporter
 *     nested/more.data          a copy of weights.data one folder down
 *     inside-link.data  -> weights.data        a link that stays inside
 *     outside-link.data -> ../outside.bin      a link that leads out
 *     outside-dir       -> ..                  a folder link that leads out
 * </pre>
 *
 * The outside file's last-access time is set far in the past, so the file system stamps it
 * anew on the first read or memory mapping (under {@code relatime}, Linux's default, as under
 * {@code strictatime}); {@link #assertOutsideNeverRead} looks at that stamp.
 */
final class ExternalDataFolder {
    static final String DATA_FILE = "weights.data";
    static final String NESTED_DATA_FILE = "nested/more.data";
    static final String INSIDE_LINK = "inside-link.data";
    static final String OUTSIDE_LINK = "outside-link.data";
    static final String OUTSIDE_DIR_LINK = "outside-dir";
    static final String OUTSIDE_FILE = "outside.bin";
    private static final FileTime NEVER = FileTime.fromMillis(0);

    private final Path folder;
    private final Path outside;
    private final byte[] seedModelBytes;

    private ExternalDataFolder(Path folder, Path outside, byte[] seedModelBytes) {
        this.folder = folder;
        this.outside = outside;
        this.seedModelBytes = seedModelBytes;
    }

    /** Lays the folder out under {@code root}, which must be empty. */
    static ExternalDataFolder create(Path root) throws IOException {
        Path folder = Files.createDirectories(root.resolve("model"));
        Path outside = Files.write(root.resolve(OUTSIDE_FILE), new byte[4096]).toRealPath();
        requireAccessTimes(outside);
        OnnxExporter.write(seedModel(), folder.resolve("model.onnx"), ExportOptions.builder()
                .externalData(true).sizeThreshold(0).externalDataFileName(DATA_FILE).build());
        Path data = folder.resolve(DATA_FILE);
        Files.createDirectories(folder.resolve("nested"));
        Files.copy(data, folder.resolve(NESTED_DATA_FILE));
        Files.createSymbolicLink(folder.resolve(INSIDE_LINK), Path.of(DATA_FILE));
        Files.createSymbolicLink(folder.resolve(OUTSIDE_LINK), Path.of("..", OUTSIDE_FILE));
        Files.createSymbolicLink(folder.resolve(OUTSIDE_DIR_LINK), Path.of(".."));
        return new ExternalDataFolder(folder, outside, Files.readAllBytes(folder.resolve("model.onnx")));
    }

    /** The model whose weights fill {@link #DATA_FILE}: two float tensors of 100 elements. */
    static Model seedModel() {
        return Models.bigWeights(2, 100);
    }

    /** The model file the exporter wrote for {@link #seedModel()}, its weights in {@link #DATA_FILE}. */
    byte[] seedModelBytes() {
        return seedModelBytes.clone();
    }

    /** The real path of the file outside the folder. */
    Path outside() {
        return outside;
    }

    /** Writes {@code bytes} as the folder's {@code model.onnx}, as a new file (tensors of the last one may still map it). */
    Path writeModel(byte[] bytes) throws IOException {
        Path model = folder.resolve("model.onnx");
        Files.deleteIfExists(model);
        return Files.write(model, bytes);
    }

    /** Fails if anything read or mapped the outside file since the folder was laid out. */
    void assertOutsideNeverRead() throws IOException {
        FileTime accessed = Files.readAttributes(outside, BasicFileAttributes.class).lastAccessTime();
        if (!accessed.equals(NEVER)) {
            fail(outside + ", outside the model's folder " + folder + ", was read at " + accessed);
        }
    }

    /**
     * Sets the file's access time to {@link #NEVER} and checks that a read stamps it, which a file
     * system mounted {@code noatime} would not do; then sets it back.
     */
    private static void requireAccessTimes(Path file) throws IOException {
        BasicFileAttributeView attributes = Files.getFileAttributeView(file, BasicFileAttributeView.class);
        attributes.setTimes(null, NEVER, null);
        Files.readAllBytes(file);
        if (attributes.readAttributes().lastAccessTime().equals(NEVER)) {
            fail("the file system of " + file + " does not record access times (mounted noatime?), which this test"
                    + " uses to see whether the importer read a file outside the model's folder");
        }
        attributes.setTimes(null, NEVER, null);
    }
}
