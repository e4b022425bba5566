/**
 * Low-rank adapters (LoRA) for the MatMul and Gemm weights of a pretrained model: which weights
 * get one ({@link dev.tern.train.lora.LoraTargets}), the rewrite that adds
 * {@code (x A) B} beside each ({@link dev.tern.train.lora.LoraInsertion}: the base model ONNX
 * Runtime's adapters run on, or a graph to train), and the rewrite that folds an adapter into
 * the weights, {@code W + A B} ({@link dev.tern.train.lora.LoraMerge}). Adapter files themselves
 * are {@link dev.tern.exec.AdapterFile}s.
 *
 * <p>Both rewrites are graph-ir {@link dev.tern.ir.passes.Pass}es working in place: their
 * {@code apply} fails with a {@code PassException} naming the pass, while {@code insert} and
 * {@code merge} give the {@link dev.tern.train.TrainingException} they document.
 * {@link dev.tern.train.lora.LoraSettings} asks {@link dev.tern.train.FineTune} to train
 * adapters, and {@link dev.tern.train.lora.LoraResult} holds the adapter file and base it
 * returns beside the merged model.
 */
package dev.tern.train.lora;
