/**
 * Where the requests to one model version wait and run: a bounded queue, dynamic batching,
 * the pool of compiled instances and the worker threads that run batches on them.
 */
package dev.tern.server.internal.scheduling;
