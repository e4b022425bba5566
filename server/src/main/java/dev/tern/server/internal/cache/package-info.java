/**
 * The server's response cache: answers to identical requests kept by their inputs' digest, per
 * model version, within one bound in bytes for the whole server.
 */
package dev.tern.server.internal.cache;
