#!/usr/bin/env python3
"""PyTorch's milliseconds per full fine-tuning step of an encoder the size of all-MiniLM-L6-v2.

The model EncoderStepBenchmark times in Tern, built from torch.nn: BERT embeddings (30522
word pieces, 512 positions, 2 segments, LayerNorm), 6 post-norm encoder layers (hidden 384, 12
heads, feed-forward 1536 with exact GELU, LayerNorm eps 1e-12, no dropout), masked mean pooling
and a dense layer to 4 classes. Every weight trained: cross-entropy, AdamW (lr 1e-4, weight
decay 0.01), batch 8 of 128 random word pieces with full attention. Warms up for 3 x 4 s and
measures 5 x 4 s, as EncoderStepBenchmark's JMH settings. Run with the intra-op thread count as
the only argument (tools/bench.sh train also sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS to
it); prints one line:

    minilm THREADS MS_PER_STEP
"""
import sys

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


def ms_per_step():
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

    return torch_timing.ms_per_step(step, WARMUP_ROUNDS, MEASURED_ROUNDS, ROUND_SECONDS)


def main():
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    print(f"minilm {threads} {ms_per_step():.4f}", flush=True)


if __name__ == "__main__":
    main()
