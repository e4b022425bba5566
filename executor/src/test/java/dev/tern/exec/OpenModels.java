package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh {@link Runtime} and fails the test if it leaves a compiled model
 * or adapter open, in the spirit of grpc-java's cleanup rule. Register with {@code @RegisterExtension}.
 */
final class OpenModels implements BeforeEachCallback, AfterEachCallback {
    private Runtime runtime;

    Runtime runtime() {
        return runtime;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        runtime = Runtime.create();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int leaked = runtime.openModels();
        int leakedAdapters = runtime.openAdapters();
        runtime.close();
        assertEquals(0, leaked, context.getDisplayName() + " left compiled models open");
        assertEquals(0, leakedAdapters, context.getDisplayName() + " left adapters open");
    }
}
