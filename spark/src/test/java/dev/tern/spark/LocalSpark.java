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
        if (session == null) {
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
}
