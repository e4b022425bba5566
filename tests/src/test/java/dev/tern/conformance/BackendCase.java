package dev.tern.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One ONNX backend test case: a folder with model.onnx and test_data_set_N folders of .pb files. */
record BackendCase(String suite, String name, Path dir) {

    Path model() {
        return dir.resolve("model.onnx");
    }

    /** The data sets in order; each holds input_N.pb and output_N.pb. */
    List<Path> dataSets() {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("test_data_set_"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The cases of one suite folder (node, simple, ...), sorted by name. */
    static List<BackendCase> listSuite(Path root, String suite) {
        try (Stream<Path> entries = Files.list(root.resolve(suite))) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
                    .sorted()
                    .map(p -> new BackendCase(suite, p.getFileName().toString(), p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list suite " + suite + " under " + root, e);
        }
    }

    @Override
    public String toString() {
        return suite + "/" + name;
    }
}
