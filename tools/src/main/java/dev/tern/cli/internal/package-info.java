/**
 * The commands of {@code tern} and what they share: error reporting and exit codes, the model
 * summary behind {@code inspect}, its text and JSON renderings, conversion, and running
 * models once ({@code run}) or under load ({@code bench}) through the executor. Internal: may
 * change at any time.
 */
package dev.tern.cli.internal;
