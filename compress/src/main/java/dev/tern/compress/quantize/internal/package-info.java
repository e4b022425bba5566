/**
 * How quantization works inside: which nodes are targets, the int8 arithmetic of scales and zero
 * points, the node rewrites of both formats, and calibration (running the float model with its
 * activations exposed, histograms and their thresholds, per-layer errors).
 */
package dev.tern.compress.quantize.internal;
