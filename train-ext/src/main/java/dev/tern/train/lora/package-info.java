/**
 * Low-rank adapters (LoRA) for the MatMul and Gemm weights of a pretrained model: which weights
 * get one ({@link dev.tern.train.lora.LoraTargets}), the rewrite that adds
 * {@code (x A) B} beside each ({@link dev.tern.train.lora.LoraInsertion}: the base model ONNX
 * Runtime's adapters run on, or a graph to train), and the rewrite that folds an adapter into
 * the weights, {@code W + A B} ({@link dev.tern.train.lora.LoraMerge}). Adapter files themselves
 * are {@link dev.tern.exec.AdapterFile}s.
 *
 * <p>The rewrites have the shape of graph passes (a name, whether they work in place, what they
 * require and ensure) and use graph-ir's public API only.
 */
package dev.tern.train.lora;
