package dev.tern.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.onnx.OnnxImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Resident memory a session for a model adds to a fresh process, for one creation path:
 * {@code compile} (Tern, weights in place), {@code open} (Tern, from the file), {@code path}
 * (ORT by hand, from the file) or {@code bytes} (ORT by hand, from the file's bytes). Reads
 * {@code VmRSS}, {@code RssAnon} and {@code RssFile} from /proc/self/status before and after,
 * with ORT's environment already loaded. Run one JVM per path so they do not share pages:
 *
 * <pre>java -cp tools/target/tern.jar dev.tern.bench.SessionMemory compile [MODEL]</pre>
 */
public final class SessionMemory {
    private static final List<String> PATHS = List.of("compile", "open", "path", "bytes");

    private SessionMemory() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length < 1 || !PATHS.contains(args[0])) {
            System.err.println("usage: SessionMemory " + String.join("|", PATHS) + " [MODEL]");
            System.exit(2);
        }
        Path model = RetainedHeap.requireModel(args.length > 1 ? args[1] : RetainedHeap.DEFAULT_MODEL);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (Runtime runtime = Runtime.create()) {
            ProcMemory before = ProcMemory.read();
            AutoCloseable session = switch (args[0]) {
                case "compile" -> runtime.compile(OnnxImporter.read(model));
                case "open" -> runtime.open(model);
                case "path" -> env.createSession(model.toString());
                default -> env.createSession(Files.readAllBytes(model));
            };
            System.gc();
            ProcMemory after = ProcMemory.read();
            System.out.printf(Locale.ROOT, "%-8s rss %+7.1f MiB   anonymous %+7.1f MiB   file-backed %+7.1f MiB%n",
                    args[0], after.rssMiB() - before.rssMiB(), after.anonMiB() - before.anonMiB(),
                    after.fileMiB() - before.fileMiB());
            closeSession(session);
        }
    }

    private static void closeSession(AutoCloseable session) throws OrtException {
        if (session instanceof CompiledModel compiled) {
            compiled.close();
        } else {
            ((OrtSession) session).close();
        }
    }
}
