package dev.tern.train;

import dev.tern.exec.Runtime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A runtime shared by one test class's checks, closed after them (public for the internal package's tests). */
public abstract class RuntimeExtension {
    protected static Runtime runtime;

    @BeforeAll
    static void openRuntime() {
        runtime = Runtime.create();
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }
}
