"""The timing loop and command line the PyTorch baselines share, matching the JMH settings of the Tern side."""
import argparse
import time


def arguments(description, models, warmup_rounds, measured_rounds, round_seconds):
    """Parses THREADS [MODEL ...] [--warmup-rounds N] [--rounds N] [--seconds S]: the intra-op
    thread count, the models to time (all when none is named) and the rounds, defaulting to the
    given values, which are the JMH annotations of the matching Tern benchmark. tools/bench.sh
    train passes JMH's settings for each run so that both sides time the same way."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("threads", type=int, help="intra-op threads (torch.set_num_threads)")
    # Checked below rather than with choices=: argparse then rejects an empty list.
    parser.add_argument("models", nargs="*", metavar="MODEL",
                        help=f"models to time, in this order, from {', '.join(models)}; all when none is named")
    parser.add_argument("--warmup-rounds", type=int, default=warmup_rounds)
    parser.add_argument("--rounds", type=int, default=measured_rounds, help="measured rounds")
    parser.add_argument("--seconds", type=float, default=round_seconds, help="least seconds per round")
    args = parser.parse_args()
    unknown = [name for name in args.models if name not in models]
    if unknown:
        parser.error(f"unknown model {', '.join(unknown)}; expected one of {', '.join(models)}")
    args.models = args.models or list(models)
    return args


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
