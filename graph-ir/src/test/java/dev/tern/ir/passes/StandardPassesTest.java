package dev.tern.ir.passes;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StandardPassesTest {
    @Test
    void namesAreTheDefaultOrder() {
        assertEquals(List.of("constant-folding", "identities", "duplicate-initializers", "dead-nodes", "shape-inference"),
                StandardPasses.names());
        assertEquals(StandardPasses.names(), StandardPasses.all().stream().map(Pass::name).toList());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> StandardPasses.byName("fuse-everything"));
        assertEquals("unknown pass 'fuse-everything', expected one of [constant-folding, identities, "
                + "duplicate-initializers, dead-nodes, shape-inference]", failure.getMessage());
    }
}
