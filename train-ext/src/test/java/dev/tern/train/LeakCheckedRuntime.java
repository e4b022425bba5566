package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;

/**
 * A shared runtime for test classes whose every test closes what it compiles: after each test,
 * no compiled model may be left open on it.
 */
public abstract class LeakCheckedRuntime extends RuntimeExtension {
    @AfterEach
    void nothingLeftOpen() {
        assertEquals(0, runtime.openModels(), "the test left compiled models open");
    }
}
