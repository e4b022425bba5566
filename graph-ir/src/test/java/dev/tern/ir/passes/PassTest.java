package dev.tern.ir.passes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link Pass#apply} promises around a pass: copies, conditions, the verifier, and failures naming the pass. */
class PassTest {
    /** x -> Relu -> y. */
    static Model relu() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        g.output(g.op("Relu", x), "y");
        return g.toModel(21);
    }

    /** A pass built from lambdas, for testing the contract around {@code run}. */
    private static Pass pass(String name, boolean inPlace, Consumer<Model> requires, Consumer<Model> run,
                             Consumer<Model> ensures) {
        return new Pass() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean inPlace() {
                return inPlace;
            }

            @Override
            protected void requires(Model model) {
                requires.accept(model);
            }

            @Override
            protected boolean run(Model model) {
                run.accept(model);
                return true;
            }

            @Override
            protected void ensures(Model model) {
                ensures.accept(model);
            }
        };
    }

    private static void renameFirstNode(Model model) {
        model.graph().nodes().get(0).setName("renamed");
    }

    private static void nothing(Model model) {
    }

    @Test
    void inPlacePassEditsAndReturnsTheGivenModel() {
        Model model = relu();
        PassResult result = pass("rename", true, PassTest::nothing, PassTest::renameFirstNode, PassTest::nothing)
                .apply(model);
        assertSame(model, result.model());
        assertTrue(result.modified());
        assertEquals("renamed", model.graph().nodes().get(0).name());
    }

    @Test
    void copyingPassLeavesTheGivenModelAlone() {
        Model model = relu();
        String before = model.graph().nodes().get(0).name();
        PassResult result = pass("rename", false, PassTest::nothing, PassTest::renameFirstNode, PassTest::nothing)
                .apply(model);
        assertNotSame(model, result.model());
        assertEquals(before, model.graph().nodes().get(0).name());
        assertEquals("renamed", result.model().graph().nodes().get(0).name());
    }

    @Test
    void failedPreconditionNamesThePassAndStopsBeforeRunning() {
        Model model = relu();
        Pass pass = pass("needs-two-nodes", true, m -> {
            throw new IllegalStateException("expected 2 nodes, found " + m.graph().nodeCount());
        }, PassTest::renameFirstNode, PassTest::nothing);
        PassException failure = assertThrows(PassException.class, () -> pass.apply(model));
        assertEquals("pass 'needs-two-nodes': precondition failed: expected 2 nodes, found 1", failure.getMessage());
        assertEquals("needs-two-nodes", failure.passName());
        assertFalse(model.graph().nodes().get(0).name().equals("renamed"));
    }

    @Test
    void failureInsideThePassNamesIt() {
        Pass pass = pass("broken", true, PassTest::nothing, m -> {
            throw new IllegalArgumentException("no such value 'z'");
        }, PassTest::nothing);
        PassException failure = assertThrows(PassException.class, () -> pass.apply(relu()));
        assertEquals("pass 'broken': failed on model graph 'main': no such value 'z'", failure.getMessage());
    }

    @Test
    void failedPostconditionNamesThePass() {
        Pass pass = pass("promises-nothing-left", true, PassTest::nothing, PassTest::nothing, m -> {
            throw new IllegalStateException("1 node left");
        });
        PassException failure = assertThrows(PassException.class, () -> pass.apply(relu()));
        assertEquals("pass 'promises-nothing-left': postcondition failed: 1 node left", failure.getMessage());
    }

    /** A node made and never added still counts as a use of its inputs: the verifier catches that. */
    @Test
    void verifierCatchesANodeLeftOutOfTheGraph() {
        Pass careless = pass("careless", true, PassTest::nothing, m -> {
            Value x = m.graph().inputs().get(0);
            new Node("", "Neg", List.of(x), List.of(new Value("never_added")), List.of());
        }, PassTest::nothing);
        PassException failure = assertThrows(PassException.class, () -> careless.apply(relu(), true));
        assertTrue(failure.getMessage().startsWith("pass 'careless': left the def-use lists wrong: value 'x' lists a use"
                + " by node <unnamed> (Neg) input 0, which is not in the model"), failure.getMessage());

        assertTrue(careless.apply(relu(), false).modified(), "without the verifier the pass goes through");
    }

    @Test
    void buildTurnsTheVerifierOnForTests() {
        assertTrue(Pass.verifiesByDefault(), "the parent pom sets " + Pass.VERIFY_PROPERTY + " for Surefire");
    }
}
