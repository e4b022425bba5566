/**
 * JMH benchmarks and the measurements that back Tern's performance claims. Run them from the
 * fat jar ({@code tools/bench.sh}, or {@code java -cp tools/target/tern.jar org.openjdk.jmh.Main});
 * nothing here is API.
 */
package dev.tern.bench;
