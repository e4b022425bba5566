package dev.tern.server.internal.repository;

import dev.tern.exec.Adapter;

/**
 * One LoRA adapter of a model version as the server serves it: the loaded {@link Adapter}, the
 * stamp of the file it came from (so a rescan can tell that the file changed), and the count
 * of requests using it. Unloading retires it: it takes no new requests and closes once the
 * requests that hold it are answered, so an adapter unloaded under traffic fails no request
 * that already chose it.
 */
public final class ServedAdapter {
    private final Adapter adapter;
    private final String fileStamp;
    private final UseCount uses;

    /** Takes ownership of {@code adapter}. */
    ServedAdapter(Adapter adapter, String fileStamp) {
        this.adapter = adapter;
        this.fileStamp = fileStamp;
        this.uses = new UseCount(adapter::close);
    }

    /** The adapter's name: its file name without {@value Adapter#ADAPTER_EXTENSION}. */
    public String name() {
        return adapter.name();
    }

    /** The adapter to run with, open while the caller holds this served adapter. */
    public Adapter adapter() {
        return adapter;
    }

    /** Ends one request's use; the last one on a retired adapter closes it. */
    public void release() {
        uses.release();
    }

    boolean tryAcquire() {
        return uses.tryAcquire();
    }

    void retire() {
        uses.retire();
    }

    String fileStamp() {
        return fileStamp;
    }
}
