package dev.tern.exec.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * What one compiled model holds natively, closed in the order ONNX Runtime needs: the session
 * first, then its options, then the shared weights the session was using in place.
 */
public final class SessionResources implements AutoCloseable {
    private final OrtSession session;
    private final SessionOptions options;
    private final SharedWeights weights;
    private boolean closed;

    /** Takes ownership of all three; {@code weights} may be null (a model opened from its file). */
    public SessionResources(OrtSession session, SessionOptions options, SharedWeights weights) {
        this.session = session;
        this.options = options;
        this.weights = weights;
    }

    public OrtSession session() {
        return session;
    }

    /** Bytes of weights the session uses in place, in the IR's own buffers. */
    public long sharedWeightBytes() {
        return weights == null ? 0 : weights.sharedBytes();
    }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to release a session", e);
        } finally {
            options.close();
            if (weights != null) {
                weights.close();
            }
        }
    }
}
