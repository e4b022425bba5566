/**
 * Shape and element-type inference behind {@code dev.tern.ir.ShapeInference}: the engine that
 * walks graphs and merges inferred types with declared ones, a registry of rules keyed by
 * (domain, op type, opset range), and one class of rules per op family. Not API.
 */
package dev.tern.ir.internal.shapes;
