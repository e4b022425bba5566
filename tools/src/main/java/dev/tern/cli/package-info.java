/**
 * The {@code tern} command line. {@link dev.tern.cli.Tern} is the entry point, both for
 * {@code java -jar tern.jar} and for running commands in-process; the commands themselves
 * live in {@code dev.tern.cli.internal}.
 */
package dev.tern.cli;
