#!/usr/bin/env python3
"""PyTorch's milliseconds per full fine-tuning step of an encoder the size of all-MiniLM-L6-v2.

The model EncoderStepBenchmark times in Tern, built from torch.nn: BERT embeddings (30522
word pieces, 512 positions, 2 segments, LayerNorm), 6 post-norm encoder layers (hidden 384, 12
heads, feed-forward 1536 with exact GELU, LayerNorm eps 1e-12, no dropout), masked mean pooling
and a dense layer to 4 classes. Every weight trained: cross-entropy, AdamW (lr 1e-4, weight
decay 0.01), batch 8 of 128 random word pieces with full attention. Warms up for 3 x 4 s and
measures 5 x 4 s by default, as EncoderStepBenchmark's JMH settings. Run with the intra-op thread
count, then optionally the model's name (minilm, the only one) and the rounds (see
torch_timing.arguments; tools/bench.sh train also sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS
to the thread count); prints one line:

    minilm THREADS MS_PER_STEP
"""
import torch
from torch import nn

import torch_timing

BATCH, TOKENS, CLASSES = 8, 128, 4
VOCABULARY, POSITIONS, HIDDEN, HEADS, FEED_FORWARD, LAYERS = 30522, 512, 384, 12, 1536, 6
WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS = 3, 5, 4.0


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.words = nn.Embedding(VOCABULARY, HIDDEN)
        self.positions = nn.Embedding(POSITIONS, HIDDEN)
        self.segments = nn.Embedding(2, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        layer = nn.TransformerEncoderLayer(HIDDEN, HEADS, FEED_FORWARD, dropout=0.0, activation="gelu",
                                           layer_norm_eps=1e-12, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, LAYERS)
        self.head = nn.Linear(HIDDEN, CLASSES)

    def forward(self, ids, mask, segments):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.norm(self.words(ids) + self.positions(positions) + self.segments(segments))
        x = self.encoder(x, src_key_padding_mask=mask == 0)
        keep = mask.unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
        return self.head(pooled)


def ms_per_step(rounds):
    torch.manual_seed(1)
    model = Classifier()
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(1000, VOCABULARY, (BATCH, TOKENS))
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones(BATCH, TOKENS, dtype=torch.long)
    segments = torch.zeros(BATCH, TOKENS, dtype=torch.long)
    target = torch.randint(0, CLASSES, (BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(ids, mask, segments), target)
        loss.backward()
        optimizer.step()
        return loss.item()

    return torch_timing.ms_per_step(step, rounds.warmup_rounds, rounds.rounds, rounds.seconds)


def main():
    args = torch_timing.arguments(__doc__.splitlines()[0], ["minilm"], WARMUP_ROUNDS, MEASURED_ROUNDS,
                                  ROUND_SECONDS)
    torch.set_num_threads(args.threads)
    print(f"minilm {args.threads} {ms_per_step(args):.4f}", flush=True)


if __name__ == "__main__":
    main()
