#!/usr/bin/env python3
"""PyTorch's milliseconds per training step on the models TrainStepBenchmark times in Tern.

The same architectures as dev.tern.train.models.ModelTemplates: the MLP 64-128-10 on [64, 64]
inputs and the CNN (two 3x3 convs of 16 and 32 channels, padding 1, each with ReLU; 2x2 max
pool; dense 64 with ReLU; dense 10) on [64, 1, 8, 8] inputs. Cross-entropy over logits, AdamW
(lr 1e-3, weight decay 1e-4, betas 0.9/0.999, eps 1e-8), batch 64 of fixed random data. Each
model warms up for 3 x 2 s and is measured for 5 x 2 s by default, as TrainStepBenchmark's JMH
settings. Run with the intra-op thread count, then optionally the models (mlp, cnn) and the
rounds (see torch_timing.arguments; tools/bench.sh train also sets OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS to the thread count); prints one line per model:

    MODEL THREADS MS_PER_STEP
"""
import torch
from torch import nn

import torch_timing

BATCH = 64
CLASSES = 10
WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS = 3, 5, 2.0


def mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, CLASSES))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 4 * 4, 64), nn.ReLU(),
        nn.Linear(64, CLASSES))


MODELS = {"mlp": (mlp, (BATCH, 64)), "cnn": (cnn, (BATCH, 1, 8, 8))}


def ms_per_step(build, input_shape, rounds):
    torch.manual_seed(1)
    model = build()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.rand(input_shape)
    target = torch.randint(0, CLASSES, (BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(x), target)
        loss.backward()
        optimizer.step()
        # Tern's step hands the loss back to Java, so read it here too.
        return loss.item()

    return torch_timing.ms_per_step(step, rounds.warmup_rounds, rounds.rounds, rounds.seconds)


def main():
    args = torch_timing.arguments(__doc__.splitlines()[0], MODELS, WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS)
    torch.set_num_threads(args.threads)
    for name in args.models:
        build, input_shape = MODELS[name]
        print(f"{name} {args.threads} {ms_per_step(build, input_shape, args):.4f}", flush=True)


if __name__ == "__main__":
    main()
