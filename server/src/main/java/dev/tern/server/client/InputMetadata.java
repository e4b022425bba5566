package dev.tern.server.client;

import dev.tern.ir.ElementType;

/**
 * One model input as a server's model metadata describes it.
 *
 * @param shape the dimensions, -1 where the size is left to each request
 */
public record InputMetadata(String name, ElementType type, long[] shape) {
}
