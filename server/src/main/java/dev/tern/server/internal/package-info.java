/**
 * The server's internals, free to change: the model repository, the service implementation,
 * tensor conversion and checks, and the gRPC and REST adapters with their Netty transports.
 */
package dev.tern.server.internal;
