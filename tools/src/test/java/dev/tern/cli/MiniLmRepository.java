package dev.tern.cli;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The pretrained MiniLM as a text model of a server repository, and the reference its answers
 * must equal: train-ext's tokenizer and the model run in Java.
 */
final class MiniLmRepository {
    /** The most tokens MiniLM's tokenizer.json allows, which the server takes as the model's limit. */
    static final int MAX_TOKENS = 128;

    private MiniLmRepository() {
    }

    /** Copies the model and its tokenizer into {@code <repo>/<name>/1/} (a link would leave the repository); returns that folder. */
    static Path write(Path repo, String name) throws IOException {
        Path folder = Files.createDirectories(repo.resolve(name).resolve("1"));
        Path model = TestModels.minilmFp32();
        Files.copy(model, folder.resolve("model.onnx"));
        Files.copy(model.resolveSibling("all-minilm-l6-v2-tokenizer.json"), folder.resolve("tokenizer.json"));
        return folder;
    }

    /** The outputs of the model in {@code version} for {@code texts} as train-ext's tokenizer encodes them. */
    static Map<String, Tensor> tokenizeAndRun(Path version, List<String> texts) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(version.resolve("tokenizer.json"), MAX_TOKENS);
             Runtime runtime = Runtime.create();
             CompiledModel model = runtime.open(version.resolve("model.onnx"))) {
            return model.run(tokenizer.encode(texts));
        }
    }
}
