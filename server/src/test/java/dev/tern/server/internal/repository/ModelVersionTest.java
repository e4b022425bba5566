package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.internal.IdentityModel;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.scheduling.QueuePlacement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's instances: requests run on them through its scheduler, and all close with the version. */
class ModelVersionTest {
    @TempDir
    Path folder;

    @Test
    void unbatchedRequestsRunOnTheWorkersAndRetiringClosesEveryInstance() throws Exception {
        try (Runtime runtime = Runtime.create()) {
            List<CompiledModel> instances = IdentityModel.instances(runtime, folder, 3);
            ModelVersion version = new ModelVersion("identity", 1, instances, ModelConfig.defaults(),
                    new ServerMetrics());
            Map<String, Tensor> outputs = version.scheduler()
                    .submit(Map.of("x", Tensor.ofFloats("x", new long[] {2}, 1.5f, 2.5f)), 0, Deadline.none(),
                            System.nanoTime(), QueuePlacement.UNPRIORITIZED)
                    .get(30, TimeUnit.SECONDS);
            assertEquals(2.5f, outputs.get("y").data().getFloat(4));
            version.retire();
            assertTrue(version.isClosed());
            assertEquals(0, runtime.openModels());
        }
    }
}
