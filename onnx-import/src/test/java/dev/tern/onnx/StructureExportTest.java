package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StructureExportTest {

    private static Model matMulAdd() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(2));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {3}, 7, 8, 9));
        g.output(g.op("Add", g.op("MatMul", x, w), b), "y");
        return g.toModel(21);
    }

    private static Map<String, TensorProto> initializers(byte[] bytes) throws InvalidProtocolBufferException {
        return ModelProto.parseFrom(bytes).getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, t -> t));
    }

    @Test
    void namedInitializersCarryOnlyAReference() throws Exception {
        Map<String, TensorProto> initializers = initializers(
                OnnxExporter.toStructureBytes(matMulAdd(), Set.of("w"), "weights.bin"));

        TensorProto w = initializers.get("w");
        assertEquals(TensorProto.DataLocation.EXTERNAL, w.getDataLocation());
        assertTrue(w.getRawData().isEmpty(), "no bytes for a referenced initializer");
        assertEquals(List.of(2L, 3L), w.getDimsList());
        Map<String, String> where = w.getExternalDataList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals(Map.of("location", "weights.bin", "offset", "0", "length", "24"), where);

        TensorProto b = initializers.get("b");
        assertEquals(TensorProto.DataLocation.DEFAULT, b.getDataLocation());
        assertEquals(12, b.getRawData().size());
    }

    @Test
    void unknownInitializerIsRefusedWithTheKnownOnes() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxExporter.toStructureBytes(matMulAdd(), Set.of("x"), "weights.bin"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[w, b]"), e.getMessage());
    }

    @Test
    void stringInitializerIsRefused() {
        GraphBuilder g = GraphBuilder.create("main");
        Value s = g.initializer(Tensor.ofStrings("s", new long[] {1}, List.of(new byte[] {'a'})));
        g.output(g.op("Identity", s), "y");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxExporter.toStructureBytes(g.toModel(21), Set.of("s"), "weights.bin"));
        assertTrue(e.getMessage().contains("STRING"), e.getMessage());
    }
}
