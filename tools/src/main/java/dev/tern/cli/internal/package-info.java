/**
 * The commands of {@code tern} and what they share: error reporting and exit codes, the model
 * summary behind {@code inspect}, its text and JSON renderings, and conversion. Internal: may
 * change at any time.
 */
package dev.tern.cli.internal;
