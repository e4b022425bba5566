"""The timing loop the PyTorch baselines share, matching the JMH settings of the Tern side."""
import time


def ms_per_step(step, warmup_rounds, measured_rounds, round_seconds):
    """Mean milliseconds per call of step(): rounds of at least round_seconds, the warm-up ones
    discarded, then the mean of the measured rounds' means (as JMH's average-time score)."""

    def timed_round():
        steps, start = 0, time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= round_seconds:
                return elapsed * 1000 / steps

    for _ in range(warmup_rounds):
        timed_round()
    return sum(timed_round() for _ in range(measured_rounds)) / measured_rounds
