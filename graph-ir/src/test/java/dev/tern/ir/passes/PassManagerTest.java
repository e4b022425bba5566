package dev.tern.ir.passes;

import dev.tern.ir.Model;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassManagerTest {
    /** Appends a letter to the first node's name until it is {@code limit} long, recording each run in {@code log}. */
    private static Pass grow(String letter, int limit, boolean inPlace, List<String> log) {
        return new Pass() {
            @Override
            public String name() {
                return "grow-" + letter;
            }

            @Override
            public boolean inPlace() {
                return inPlace;
            }

            @Override
            protected boolean run(Model model) {
                log.add(name());
                var node = model.graph().nodes().get(0);
                if (node.name().length() >= limit) {
                    return false;
                }
                node.setName(node.name() + letter);
                return true;
            }
        };
    }

    private static Model unnamedRelu() {
        Model model = PassTest.relu();
        model.graph().nodes().get(0).setName("");
        return model;
    }

    @Test
    void runsPassesInOrderAndRepeatsWhileTheyChangeSomething() {
        List<String> log = new ArrayList<>();
        Model model = unnamedRelu();
        PassResult result = PassManager.builder()
                .add(grow("a", 2, true, log))
                .add(grow("b", 3, true, log))
                .steps(5)
                .build()
                .apply(model);
        assertSame(model, result.model());
        assertTrue(result.modified());
        assertEquals("abb", model.graph().nodes().get(0).name());
        assertEquals(List.of("grow-a", "grow-b", "grow-a", "grow-b", "grow-a", "grow-b"), log,
                "two rounds change something, the third changes nothing and is the last");
    }

    @Test
    void stopsAfterTheGivenNumberOfSteps() {
        List<String> log = new ArrayList<>();
        PassManager.builder().add(grow("a", 10, true, log)).steps(2).build().apply(unnamedRelu());
        assertEquals(2, log.size());
    }

    @Test
    void copyingPassesChainTheirCopies() {
        Model model = unnamedRelu();
        PassResult result = PassManager.builder()
                .add(grow("a", 1, false, new ArrayList<>()))
                .add(grow("b", 2, false, new ArrayList<>()))
                .build()
                .apply(model);
        assertNotSame(model, result.model());
        assertEquals("", model.graph().nodes().get(0).name());
        assertEquals("ab", result.model().graph().nodes().get(0).name());
    }

    @Test
    void unchangedModelIsReportedUnmodified() {
        PassResult result = PassManager.builder().add(grow("a", 0, true, new ArrayList<>())).build()
                .apply(unnamedRelu());
        assertFalse(result.modified());
    }

    @Test
    void stepsBelowOneAreRefused() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> PassManager.builder().steps(0));
        assertEquals("steps must be at least 1, found 0", failure.getMessage());
    }
}
