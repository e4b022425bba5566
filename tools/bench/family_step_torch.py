#!/usr/bin/env python3
"""PyTorch's milliseconds per training step on the models FamilyStepBenchmark times in Tern.

The same architectures, batch sizes and optimizers as FamilyStepBenchmark, at batch 64 of fixed
random data:
  autoencoder  64-32 (ReLU)-8, 8-32 (ReLU)-64 (sigmoid) on [64, 64] inputs in [0, 1]; MSE
               between the reconstruction and the input; Adam (lr 1e-3)
  lstm         embedding of 32 token ids into 16 values, a one-layer LSTM of 64 units over 16
               steps whose last hidden state feeds a dense layer to 10 logits; cross-entropy;
               AdamW (lr 1e-3, weight decay 1e-4)
  gan          G: z [64, 16] -> 128 (ReLU) -> 64 (sigmoid); D: 64 -> 128 (LeakyReLU 0.2) -> 1
               logit. One step is a discriminator step (BCE(D(real), 1) + BCE(D(G(z)), 0),
               G's output detached) then a generator step (BCE(D(G(z)), 1)), each with its own
               Adam (betas 0.5/0.999, lr 1e-3)
Warms up for 3 x 2 s and measures 5 x 2 s by default, as FamilyStepBenchmark's JMH settings. Run
with the intra-op thread count, then optionally the models and the rounds (see
torch_timing.arguments); prints one line per model:

    MODEL THREADS MS_PER_STEP
"""
import torch
from torch import nn

import torch_timing

BATCH, FEATURES, CLASSES = 64, 64, 10
VOCABULARY, EMBEDDING, LSTM_HIDDEN, STEPS = 32, 16, 64, 16
NOISE, GAN_HIDDEN = 16, 128
WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS = 3, 5, 2.0


def autoencoder_step():
    model = nn.Sequential(nn.Linear(FEATURES, 32), nn.ReLU(), nn.Linear(32, 8),
                          nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, FEATURES), nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(BATCH, FEATURES)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.mse_loss(model(x), x)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, EMBEDDING)
        self.lstm = nn.LSTM(EMBEDDING, LSTM_HIDDEN, batch_first=True)
        self.head = nn.Linear(LSTM_HIDDEN, CLASSES)

    def forward(self, ids):
        _, (last_hidden, _) = self.lstm(self.embedding(ids))
        return self.head(last_hidden[-1])


def lstm_step():
    model = LstmClassifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    ids = torch.randint(0, VOCABULARY, (BATCH, STEPS))
    target = torch.randint(0, CLASSES, (BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(ids), target)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def gan_step():
    generator = nn.Sequential(nn.Linear(NOISE, GAN_HIDDEN), nn.ReLU(), nn.Linear(GAN_HIDDEN, FEATURES), nn.Sigmoid())
    discriminator = nn.Sequential(nn.Linear(FEATURES, GAN_HIDDEN), nn.LeakyReLU(0.2), nn.Linear(GAN_HIDDEN, 1))
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    real = torch.rand(BATCH, FEATURES)
    z = torch.randn(BATCH, NOISE)
    ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)
    bce = nn.functional.binary_cross_entropy_with_logits

    def step():
        d_optimizer.zero_grad(set_to_none=True)
        d_loss = bce(discriminator(real), ones) + bce(discriminator(generator(z).detach()), zeros)
        d_loss.backward()
        d_optimizer.step()
        g_optimizer.zero_grad(set_to_none=True)
        g_loss = bce(discriminator(generator(z)), ones)
        g_loss.backward()
        g_optimizer.step()
        return d_loss.item(), g_loss.item()

    return step


MODELS = {"autoencoder": autoencoder_step, "lstm": lstm_step, "gan": gan_step}


def main():
    args = torch_timing.arguments(__doc__.splitlines()[0], MODELS, WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS)
    torch.set_num_threads(args.threads)
    for name in args.models:
        torch.manual_seed(1)
        ms = torch_timing.ms_per_step(MODELS[name](), args.warmup_rounds, args.rounds, args.seconds)
        print(f"{name} {args.threads} {ms:.4f}", flush=True)


if __name__ == "__main__":
    main()
