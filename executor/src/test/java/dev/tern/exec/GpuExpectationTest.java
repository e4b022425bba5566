package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuExpectationTest {
    private static final List<String> ONE_GPU = List.of("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)");

    @Test
    void theVariableDecidesBeforeAnyProbe() {
        assertEquals(new GpuExpectation(true, "TERN_EXPECT_CUDA=1 requires it"),
                GpuExpectation.decide("1", () -> fail("probed the device node"), () -> fail("ran nvidia-smi")));
        assertEquals(new GpuExpectation(false, "TERN_EXPECT_CUDA=0 waives it"),
                GpuExpectation.decide("0", () -> true, () -> ONE_GPU));
    }

    @Test
    void unsetTheDeviceNodeOrNvidiaSmiDecides() {
        assertEquals(new GpuExpectation(true, "/dev/nvidia0 exists"),
                GpuExpectation.decide(null, () -> true, () -> fail("ran nvidia-smi although the device node exists")));
        assertEquals(new GpuExpectation(true, "nvidia-smi -L lists " + ONE_GPU.get(0)),
                GpuExpectation.decide("", () -> false, () -> ONE_GPU));
        assertEquals(new GpuExpectation(false, "no GPU on this machine"),
                GpuExpectation.decide(null, () -> false, List::of));
    }

    @Test
    void anyOtherSettingIsRefused() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> GpuExpectation.decide("yes", () -> false, List::of)).getMessage();
        assertEquals("TERN_EXPECT_CUDA must be 1 (require CUDA) or 0 (waive it), found 'yes'", message);
    }
}
