package dev.tern.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's instances: taken in turn, all closed with the version. */
class ModelVersionTest {
    @TempDir
    Path folder;

    @Test
    void requestsTakeTheInstancesInTurnAndRetiringClosesThemAll() throws Exception {
        try (Runtime runtime = Runtime.create()) {
            List<CompiledModel> instances = IdentityModel.instances(runtime, folder, 3);
            ModelVersion version = new ModelVersion("identity", 1, instances, ModelConfig.defaults(),
                    new ServerMetrics());
            for (int round = 0; round < 2; round++) {
                for (CompiledModel instance : instances) {
                    assertSame(instance, version.nextInstance());
                }
            }
            version.retire();
            assertTrue(version.isClosed());
            assertEquals(0, runtime.openModels());
        }
    }
}
