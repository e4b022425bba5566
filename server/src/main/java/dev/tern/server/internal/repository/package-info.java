/**
 * The model repository: model folders and their versions, {@code config.json}, loading,
 * polling for changes and the load failures reported in the index.
 */
package dev.tern.server.internal.repository;
