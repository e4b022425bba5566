/**
 * Cumulative per-version inference statistics in Triton's terms, recorded without locks on the
 * request path, and their two readings: Triton's {@code ModelStatistics} message and Triton's
 * Prometheus metric families.
 */
package dev.tern.server.internal.statistics;
