package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad call fails in Java with the model, the input and expected versus found. */
class BadCallTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    private CompiledModel model;
    private final Tensor good = Tensor.ofFloats("a", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);

    @BeforeEach
    void compile() {
        model = models.runtime().compile(TestModels.twoInputs());
    }

    @AfterEach
    void close() {
        model.close();
    }

    private String failure(Map<String, Tensor> inputs) {
        return assertThrows(InvalidInputException.class, () -> model.run(inputs)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' should mention " + part);
        }
    }

    @Test
    void unknownInputListsTheExpectedOnes() {
        assertMentions(failure(Map.of("a", good, "b", good, "c", good)), "'two_inputs'", "unknown input 'c'", "[a, b]");
    }

    @Test
    void missingInputIsNamed() {
        assertMentions(failure(Map.of("a", good)), "'two_inputs'", "missing input [b]", "[a, b]");
    }

    @Test
    void wrongElementType() {
        Tensor ints = Tensor.ofInts("b", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertMentions(failure(Map.of("a", good, "b", ints)), "'two_inputs'", "input 'b'", "expects element type FLOAT",
                "found INT32");
    }

    @Test
    void wrongRank() {
        Tensor flat = Tensor.ofFloats("b", new long[] {6}, 1, 2, 3, 4, 5, 6);
        assertMentions(failure(Map.of("a", good, "b", flat)), "input 'b'", "expects rank 2 [batch,3]", "found rank 1 [6]");
    }

    @Test
    void wrongDimension() {
        Tensor wide = Tensor.ofFloats("b", new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
        assertMentions(failure(Map.of("a", good, "b", wide)), "input 'b' dimension 1 must be 3", "found 4 [2, 4]");
    }

    @Test
    void symbolicDimensionMustAgreeAcrossInputs() {
        Tensor oneRow = Tensor.ofFloats("b", new long[] {1, 3}, 1, 2, 3);
        assertMentions(failure(Map.of("a", good, "b", oneRow)), "input 'b' dimension 0 ('batch') is 1", "input 'a' dimension 0 set 'batch' to 2");
    }

    @Test
    void typeJavaCannotCreateIsRefusedBeforeNativeCode() {
        try (CompiledModel identity = models.runtime().compile(TestModels.identity(ElementType.UINT16))) {
            Tensor x = Tensor.zeros("x", ElementType.UINT16, 2, 3);
            String message = assertThrows(InvalidInputException.class, () -> identity.run(Map.of("x", x))).getMessage();
            assertMentions(message, "input 'x'", "cannot create tensors of element type UINT16");
        }
    }

    @Test
    void nativeInputsAreCheckedToo() {
        try (NativeTensor ints = NativeTensor.wrap(Tensor.ofInts("b", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))) {
            String message = assertThrows(InvalidInputException.class,
                    () -> model.runNative(Map.of("a", ints, "b", ints))).getMessage();
            assertMentions(message, "input 'a'", "found INT32");
        }
    }

    @Test
    void closedModelRefusesEveryCall() {
        model.close();
        model.close();
        String message = assertThrows(ClosedException.class, () -> model.run(Map.of("a", good, "b", good))).getMessage();
        assertEquals("model 'two_inputs' is closed", message);
        assertThrows(ClosedException.class, () -> model.runNative(Map.of()));
        assertThrows(ClosedException.class, () -> model.pinOutputs(Map.of("batch", 1L)));
    }

    @Test
    void closedNativeTensorCannotBeFed() {
        NativeTensor a = NativeTensor.wrap(good);
        a.close();
        a.close();
        assertThrows(ClosedException.class, () -> model.runNative(Map.of("a", a, "b", a)));
    }

    @Test
    void modelStaysUsableAfterBadCalls() {
        failure(Map.of("a", good));
        assertEquals(2f, model.run(Map.of("a", good, "b", good)).get("sum").toFloatArray()[0]);
    }
}
