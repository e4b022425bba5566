package dev.tern.ir;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the IR carries beside the computation: denotations, quantization annotations, tensor metadata, opaque fields. */
class AnnotationsTest {
    @Test
    void typeDenotationsAnnotateWithoutChangingTheType() {
        ValueType.TensorType plain = ValueType.tensor(ElementType.FLOAT, 2, 3);
        ValueType.TensorType image = plain.withDenotation("IMAGE");
        assertEquals("IMAGE", image.denotation());
        assertEquals("", plain.denotation());
        assertEquals(plain, image, "equality ignores the denotation");
        assertEquals(plain.hashCode(), image.hashCode());
        ValueType sequence = new ValueType.SequenceType(image).withDenotation("TEXT");
        assertEquals("TEXT", sequence.denotation());
        assertEquals("IMAGE", ((ValueType.SequenceType) sequence).elementType().denotation(), "nested ones stay");
        assertEquals(new ValueType.SequenceType(plain), sequence);
        assertEquals("AUDIO", new ValueType.MapType(ElementType.INT64, plain, "AUDIO").denotation());
        assertEquals("X", new ValueType.OptionalType(plain).withDenotation("X").denotation());
        assertEquals("Y", new ValueType.SparseTensorType(ElementType.FLOAT, Shape.of(4)).withDenotation("Y")
                .denotation());
        assertNotEquals(plain, ValueType.tensor(ElementType.FLOAT, 2, 4), "the rest still counts");
    }

    @Test
    void dimensionDenotationsAnnotateWithoutChangingTheShape() {
        Shape shape = Shape.of(Dim.of("batch"), Dim.of(3), Dim.UNKNOWN);
        assertFalse(shape.hasDenotations());
        assertEquals("", shape.denotation(1));
        Shape denoted = shape.withDenotations(List.of("DATA_BATCH", "", "DATA_FEATURE"));
        assertTrue(denoted.hasDenotations());
        assertEquals("DATA_BATCH", denoted.denotation(0));
        assertEquals("DATA_FEATURE", denoted.denotation(2));
        assertEquals(shape, denoted);
        assertEquals(shape.hashCode(), denoted.hashCode());
        assertEquals(shape.dims(), denoted.dims());
    }

    @Test
    void dimensionDenotationsMustMatchTheRank() {
        IrException e = assertThrows(IrException.class, () -> Shape.of(1, 2).withDenotations(List.of("A")));
        assertEquals("shape [1,2] has 2 dimensions, found 1 denotations", e.getMessage());
        assertThrows(IrException.class, () -> Shape.unknownRank().withDenotations(List.of()));
        assertThrows(IrException.class, () -> Shape.unknownRank().denotation(0));
        assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(1).denotation(1));
    }

    @Test
    void quantizationAnnotationsNameTheParameterTensors() {
        QuantizationAnnotation linear = QuantizationAnnotation.linear("w_scale", "w_zero");
        assertEquals(Optional.of("w_scale"), linear.scaleTensor());
        assertEquals(Optional.of("w_zero"), linear.zeroPointTensor());
        assertEquals(List.of(QuantizationAnnotation.SCALE, QuantizationAnnotation.ZERO_POINT),
                List.copyOf(linear.parameterTensors().keySet()));

        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("BLOCK_SIZE_TENSOR", "bs");
        roles.put(QuantizationAnnotation.SCALE, "s");
        QuantizationAnnotation custom = new QuantizationAnnotation(roles);
        roles.put("later", "ignored");
        assertEquals(List.of("BLOCK_SIZE_TENSOR", QuantizationAnnotation.SCALE),
                List.copyOf(custom.parameterTensors().keySet()), "copied, in order");
        assertEquals(Optional.empty(), custom.zeroPointTensor());
        assertThrows(UnsupportedOperationException.class, () -> custom.parameterTensors().put("x", "y"));
    }

    @Test
    void tensorMetadataTravelsWithTheTensorButNotItsContent() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "layer3");
        metadata.put("precision", "fp8");
        Tensor tensor = Tensor.ofFloats("w", new long[] {2}, 1, 2).withMetadataProps(metadata)
                .withOpaqueFields(OpaqueFields.of(new byte[] {(byte) 0xa0, 1, 7}));
        metadata.clear();
        Tensor renamed = tensor.withName("v").withDocString("doc");
        assertEquals(List.of("source", "precision"), List.copyOf(renamed.metadataProps().keySet()));
        assertArrayEquals(new byte[] {(byte) 0xa0, 1, 7}, renamed.opaqueFields().bytes());
        assertEquals("doc", renamed.docString());
        assertTrue(renamed.contentEquals(Tensor.ofFloats("x", new long[] {2}, 1, 2)));
        assertThrows(UnsupportedOperationException.class, () -> tensor.metadataProps().put("k", "v"));
        assertEquals(Map.of(), Tensor.ofFloats("plain", new long[] {}, 0).metadataProps());
    }

    @Test
    void opaqueFieldsAreCopiedBytes() {
        byte[] bytes = {8, 1};
        OpaqueFields fields = OpaqueFields.of(bytes);
        bytes[0] = 0;
        assertArrayEquals(new byte[] {8, 1}, fields.bytes());
        fields.bytes()[1] = 9;
        assertArrayEquals(new byte[] {8, 1}, fields.bytes());
        assertEquals(OpaqueFields.of(new byte[] {8, 1}), fields);
        assertSame(OpaqueFields.NONE, OpaqueFields.of(new byte[0]));
        assertTrue(OpaqueFields.NONE.isEmpty());
        assertEquals("OpaqueFields(2 bytes)", fields.toString());
        Attribute attribute = Attribute.ofInt("i", 1).withOpaqueFields(fields).withDocString("d");
        assertEquals(fields, attribute.opaqueFields());
    }
}
