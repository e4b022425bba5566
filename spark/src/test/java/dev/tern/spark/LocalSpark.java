package dev.tern.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} Spark session for every test class of this module, started on first use
 * and stopped when the test JVM exits: starting Spark takes seconds, a query milliseconds.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("tern-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** Stops the session, for a test that needs a Spark context of its own (a JVM holds one at a time). */
    static synchronized void stop() {
        if (session != null) {
            session.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
    }
}
