package dev.tern.exec;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.internal.TensorBridge;
import dev.tern.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of one run, kept in ONNX Runtime's memory. Tensors are read through buffers or
 * fed to the next run as they are; sequences and maps are copied out on request. The caller
 * owns this object and closes it, which releases every output at once. Not thread-safe.
 */
public final class Outputs implements AutoCloseable {
    private final String model;
    private final OrtSession.Result result;
    private final Map<String, NativeTensor> tensors = new HashMap<>();
    private boolean closed;

    Outputs(String model, OrtSession.Result result) {
        this.model = model;
        this.result = result;
    }

    /** The output names in the model's order. */
    public Set<String> names() {
        requireOpen();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, OnnxValue> entry : result) {
            names.add(entry.getKey());
        }
        return names;
    }

    /**
     * Tensor output {@code name}, still in ONNX Runtime's memory and owned by these outputs.
     *
     * @throws ExecException if there is no such output or it is not a tensor
     * @throws ClosedException if these outputs are closed
     */
    public NativeTensor tensor(String name) {
        requireOpen();
        NativeTensor tensor = tensors.get(name);
        if (tensor == null) {
            tensor = new NativeTensor(value(name, OnnxTensor.class, "a tensor"), false, null);
            tensors.put(name, tensor);
        }
        return tensor;
    }

    /**
     * Sequence-of-tensors output {@code name}, copied into Tern tensors named
     * {@code name[0]}, {@code name[1]}, ...
     *
     * @throws ExecException if there is no such output or it is not a sequence of tensors
     */
    public List<Tensor> tensorSequence(String name) {
        OnnxSequence sequence = value(name, OnnxSequence.class, "a sequence");
        if (sequence.getInfo().isSequenceOfMaps()) {
            throw new ExecException("model '" + model + "': output '" + name + "' is a sequence of maps;"
                    + " read it with mapSequence");
        }
        try {
            List<Tensor> tensors = new ArrayList<>();
            for (OnnxValue element : sequence.getValue()) {
                tensors.add(TensorBridge.toIr(name + "[" + tensors.size() + "]", (OnnxTensor) element));
            }
            return tensors;
        } catch (OrtException e) {
            throw readFailed(name, e);
        }
    }

    /**
     * Sequence-of-maps output {@code name} (what ZipMap produces), copied. Keys are
     * {@code Long} or {@code String}, values {@code Float}, {@code Double}, {@code Long} or
     * {@code String}, as the model's types say.
     *
     * @throws ExecException if there is no such output or it is not a sequence of maps
     */
    public List<Map<Object, Object>> mapSequence(String name) {
        OnnxSequence sequence = value(name, OnnxSequence.class, "a sequence");
        if (!sequence.getInfo().isSequenceOfMaps()) {
            throw new ExecException("model '" + model + "': output '" + name + "' is a sequence of tensors;"
                    + " read it with tensorSequence");
        }
        try {
            List<Map<Object, Object>> maps = new ArrayList<>();
            for (OnnxValue element : sequence.getValue()) {
                maps.add(copy((OnnxMap) element));
            }
            return maps;
        } catch (OrtException e) {
            throw readFailed(name, e);
        }
    }

    /**
     * Map output {@code name}, copied; key and value classes as for {@link #mapSequence}.
     *
     * @throws ExecException if there is no such output or it is not a map
     */
    public Map<Object, Object> map(String name) {
        try {
            return copy(value(name, OnnxMap.class, "a map"));
        } catch (OrtException e) {
            throw readFailed(name, e);
        }
    }

    /** Releases every output; buffers read from them become invalid. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            result.close();
        }
    }

    private static Map<Object, Object> copy(OnnxMap map) throws OrtException {
        return new HashMap<>(map.getValue());
    }

    private <T extends OnnxValue> T value(String name, Class<T> kind, String kindName) {
        requireOpen();
        OnnxValue value = result.get(name).orElseThrow(() -> new ExecException("model '" + model
                + "': no output '" + name + "', the outputs are " + names()));
        if (!kind.isInstance(value)) {
            throw new ExecException("model '" + model + "': output '" + name + "' is " + value.getInfo()
                    + ", not " + kindName);
        }
        return kind.cast(value);
    }

    private ExecutionFailedException readFailed(String name, OrtException e) {
        return new ExecutionFailedException("model '" + model + "': cannot read output '" + name + "': "
                + e.getMessage(), e);
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedException("the outputs of a run of model '" + model + "' are closed");
        }
    }
}
