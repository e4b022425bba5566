package dev.tern.exec.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hands a model's weights to ONNX Runtime without copying them. The main graph's dense
 * initializers become ONNX Runtime tensors over the IR's own (possibly memory-mapped,
 * read-only) buffers, given to the session with {@code SessionOptions.addInitializer}, which
 * uses them in place; the serialized model keeps them as {@code data_location = EXTERNAL}
 * references with no bytes. (ONNX Runtime refuses a model whose initializers are simply
 * removed or emptied, and {@code addExternalInitializers} copies every weight.)
 *
 * <p>Initializers stay inline when sharing is impossible or pointless: sparse and string ones,
 * element types ONNX Runtime's Java API cannot create, ones that are also graph inputs (a run
 * may override those), ones smaller than {@link #MIN_SHARED_BYTES}, and those the caller
 * names, because some ONNX Runtime graph rewrites read an initializer from the serialized
 * graph instead of the tensor handed over (see {@link WeightInlining}).
 *
 * <p>The tensors must outlive the session: close this only after closing the session.
 */
public final class SharedWeights implements AutoCloseable {
    /** Below this, serializing the bytes is cheaper than a native tensor per initializer. */
    static final long MIN_SHARED_BYTES = 1024;

    private final byte[] structure;
    private final Map<String, OnnxTensor> tensors;
    private final long sharedBytes;

    private SharedWeights(byte[] structure, Map<String, OnnxTensor> tensors, long sharedBytes) {
        this.structure = structure;
        this.tensors = tensors;
        this.sharedBytes = sharedBytes;
    }

    /**
     * Picks the initializers to share, wraps them and serializes the rest of the model.
     *
     * @param inline initializers to keep in the serialized model (copied by ONNX Runtime)
     */
    public static SharedWeights of(OrtEnvironment env, Model model, Set<String> inline) throws OrtException {
        Graph graph = model.graph();
        Set<Value> inputs = new HashSet<>(graph.inputs());
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        long bytes = 0;
        try {
            for (Value value : graph.initializers().values()) {
                Tensor tensor = value.initializer();
                if (tensor == null || inputs.contains(value) || inline.contains(value.name()) || !isShareable(tensor)) {
                    continue;
                }
                OnnxTensor wrapped = TensorBridge.toOrt(env, tensor, "initializer '" + value.name() + "'");
                tensors.put(value.name(), wrapped);
                // A heap buffer is copied into a direct one by ONNX Runtime's Java API: shared, not in place.
                bytes += wrapped.ownsBuffer() ? 0 : tensor.byteSize();
            }
            byte[] structure = OnnxExporter.toStructureBytes(model, tensors.keySet(), PlaceholderFolder.FILE_NAME);
            return new SharedWeights(structure, tensors, bytes);
        } catch (OrtException | RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static boolean isShareable(Tensor tensor) {
        return tensor.elementType().isFixedWidth()
                && ElementTypes.isCreatable(tensor.elementType())
                && tensor.byteSize() >= MIN_SHARED_BYTES;
    }

    /** Registers every shared tensor with {@code options} and points them at {@code folder}. */
    public void addTo(SessionOptions options, PlaceholderFolder folder) throws OrtException {
        if (tensors.isEmpty()) {
            return;
        }
        options.addConfigEntry("session.model_external_initializers_file_folder_path", folder.path().toString());
        for (Map.Entry<String, OnnxTensor> entry : tensors.entrySet()) {
            options.addInitializer(entry.getKey(), entry.getValue());
        }
    }

    /** The serialized model, shared initializers left as references. */
    public byte[] structure() {
        return structure;
    }

    /** How many bytes of weights ONNX Runtime uses in place, in the IR's own buffers. */
    public long sharedBytes() {
        return sharedBytes;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
