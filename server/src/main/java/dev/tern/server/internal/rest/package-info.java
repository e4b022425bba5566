/**
 * The REST adapter: KServe v2's HTTP/JSON routes (with the binary tensor extension) handed to
 * the service, on Netty's HTTP/1.1 codec, and the web console's static files at {@code /} and
 * under {@code /console/} ({@link dev.tern.server.internal.rest.ConsoleAssets}).
 */
package dev.tern.server.internal.rest;
