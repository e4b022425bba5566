package dev.tern.exec;

import ai.onnxruntime.OrtLoraAdapter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A LoRA adapter loaded into ONNX Runtime once and shared: any number of runs, of any number
 * of compiled models, on any threads, may use it at once by naming it in their
 * {@link RunControl#withAdapter RunControl}. A run with the adapter feeds each of its
 * parameters to the model input of the same name, so the model must have those inputs,
 * usually initializers that are also graph inputs and whose defaults leave the adapter out.
 * Made by {@link Runtime#loadAdapter}.
 *
 * <p>{@link #close()} waits for the runs using the adapter, then frees it; runs that name it
 * later throw {@link ClosedException}. Thread-safe.
 */
public final class Adapter implements AutoCloseable {
    /** The extension ONNX Runtime's tools give adapter files. */
    public static final String ADAPTER_EXTENSION = ".onnx_adapter";

    private final String name;
    private final Path file;
    private final OrtLoraAdapter adapter;
    private final List<IoSpec> parameters;
    private final Consumer<Adapter> onClose;
    /** Runs hold the read lock, close takes the write lock: the adapter never closes under a run. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    Adapter(Path file, OrtLoraAdapter adapter, AdapterFile contents, Consumer<Adapter> onClose) {
        this.name = adapterName(file);
        this.file = file;
        this.adapter = adapter;
        this.parameters = contents.parameters().stream()
                .map(p -> new IoSpec(p.name(), p.type()))
                .toList();
        this.onClose = onClose;
    }

    /** The file name without its {@code .onnx_adapter} extension. */
    public String name() {
        return name;
    }

    /** The file it was loaded from. */
    public Path file() {
        return file;
    }

    /** The parameters a run with this adapter feeds, by model input name, with their types and shapes. */
    public List<IoSpec> parameters() {
        return parameters;
    }

    /** Waits for the runs using this adapter, then frees it. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            adapter.close();
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Adapter(" + name + ": " + parameters.size() + " parameters" + (closed ? ", closed" : "") + ")";
    }

    /**
     * Holds the adapter open for one run; the caller unlocks the result when the run ends.
     *
     * @throws ClosedException if the adapter is closed
     */
    Lock acquireForRun() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new ClosedException("adapter '" + name + "' (" + file + ") is closed");
        }
        return lock;
    }

    /** The native adapter; valid while the caller holds {@link #acquireForRun()}'s lock. */
    OrtLoraAdapter ort() {
        return adapter;
    }

    private static String adapterName(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(ADAPTER_EXTENSION)
                ? fileName.substring(0, fileName.length() - ADAPTER_EXTENSION.length())
                : fileName;
    }
}
