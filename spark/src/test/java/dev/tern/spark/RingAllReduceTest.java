package dev.tern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.junit.jupiter.api.Test;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/** {@link RingAllReduce} among threads on loopback, and among the barrier tasks of a Spark stage in {@code local[2]}. */
class RingAllReduceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Runs {@code ranks} ranks on threads, each averaging {@code values.apply(rank)}; returns their results. */
    private static List<float[]> averageOnThreads(int ranks, IntFunction<float[]> values) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            servers.add(RingAllReduce.listen(InetAddress.getLoopbackAddress()));
            addresses.add(RingAllReduce.address(servers.get(r)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                int rank = r;
                results.add(pool.submit(() -> {
                    try (RingAllReduce ring = RingAllReduce.join(rank, addresses, servers.get(rank), TIMEOUT)) {
                        float[] mine = values.apply(rank);
                        ring.averageInPlace(mine);
                        return mine;
                    }
                }));
            }
            List<float[]> averaged = new ArrayList<>();
            for (Future<float[]> result : results) {
                averaged.add(result.get());
            }
            return averaged;
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] random(int rank, int length) {
        Random random = new Random(rank);
        float[] values = new float[length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void everyRankGetsTheSameAverage() throws Exception {
        // 1001 values over 3 ranks: chunks of unequal length.
        for (int ranks : new int[] {1, 2, 3, 4}) {
            List<float[]> averaged = averageOnThreads(ranks, rank -> random(rank, 1001));
            for (int i = 0; i < 1001; i++) {
                double sum = 0;
                for (int r = 0; r < ranks; r++) {
                    sum += random(r, 1001)[i];
                }
                // Float sums of at most four values, then a scale: a few ulps of the largest term.
                assertEquals(sum / ranks, averaged.get(0)[i], 1e-6, ranks + " ranks, value " + i);
            }
            for (float[] other : averaged) {
                assertArrayEquals(averaged.get(0), other, "every rank bit for bit, " + ranks + " ranks");
            }
        }
    }

    @Test
    void fewerValuesThanRanksStillAverage() throws Exception {
        List<float[]> averaged = averageOnThreads(3, rank -> new float[] {rank * 3f});
        for (float[] values : averaged) {
            assertArrayEquals(new float[] {3f}, values);
        }
    }

    @Test
    void ranksWithArraysOfDifferentLengthsFailNamingTheRank() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> averageOnThreads(2, rank -> new float[rank == 0 ? 10 : 12]));
        assertTrue(e.getCause() instanceof UncheckedIOException, e.toString());
        assertTrue(e.getCause().getMessage().matches("rank \\d of 2: all-reduce of 1[02] values failed: the previous"
                + " rank sent a chunk of \\d+ values, expected \\d+ .*"), e.getCause().getMessage());
    }

    @Test
    void barrierTasksAverageThroughAllGatheredAddresses() {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        RDD<float[]> averaged = context.parallelize(List.of(0, 1), 2).rdd().barrier()
                .mapPartitions(new AverageInBarrier(), false, ClassTag$.MODULE$.apply(float[].class));
        List<float[]> results = List.of((float[][]) averaged.collect());
        assertEquals(2, results.size());
        for (float[] result : results) {
            assertArrayEquals(new float[] {1.5f, -1.5f, 15f}, result);
        }
    }

    /** Each barrier task averages (p + 1, -(p + 1), 10 (p + 1)) for its partition p. */
    private static final class AverageInBarrier extends AbstractFunction1<Iterator<Integer>, Iterator<float[]>>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<float[]> apply(Iterator<Integer> partition) {
            BarrierTaskContext task = BarrierTaskContext.get();
            float p = task.partitionId() + 1;
            float[] values = {p, -p, 10 * p};
            try (RingAllReduce ring = RingAllReduce.ofBarrierTasks(task, TIMEOUT)) {
                ring.averageInPlace(values);
            }
            return CollectionConverters.asScala(List.of(values).iterator());
        }
    }
}
