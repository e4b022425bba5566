package dev.tern.spark.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each task's share of a global batch, and the rows a task takes step by step. */
class BatchSharesTest {
    @Test
    void sharesFollowThePartitionsRows() {
        assertArrayEquals(new int[] {12, 18}, BatchShares.of(new long[] {12, 18}, 30));
        assertArrayEquals(new int[] {27, 37}, BatchShares.of(new long[] {600, 838}, 64));
        // At least one row each; rounded shares may sum to a row more or less than the global batch.
        assertArrayEquals(new int[] {1, 64}, BatchShares.of(new long[] {1, 1000}, 64));
        assertEquals(460, BatchShares.steps(1438, 64, 20), "23 steps an epoch, the last one short");
    }

    @Test
    void anEmptyPartitionOrAnOversizedBatchIsRefused() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> BatchShares.of(new long[] {5, 0}, 4));
        assertEquals("partition 1 of 2 holds no rows; every barrier task needs some (repartition the data set)",
                empty.getMessage());
        IllegalArgumentException oversized = assertThrows(IllegalArgumentException.class,
                () -> BatchShares.of(new long[] {5, 5}, 11));
        assertEquals("the global batch of 11 rows exceeds the data set's 10 rows", oversized.getMessage());
    }

    @Test
    void eachPassTakesEveryRowOnceInAnOrderThatDependsOnlyOnTheStep() {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(i);
        }
        RowCycle<Integer> cycle = new RowCycle<>(rows, 5, 42, 1);
        List<Integer> firstPass = new ArrayList<>(cycle.batch(0));
        firstPass.addAll(cycle.batch(1));
        List<Integer> secondPass = new ArrayList<>(cycle.batch(2));
        secondPass.addAll(cycle.batch(3));
        assertEquals(Set.copyOf(rows), new HashSet<>(firstPass));
        assertEquals(Set.copyOf(rows), new HashSet<>(secondPass));
        assertNotEquals(firstPass, secondPass, "a new shuffle each pass");
        RowCycle<Integer> resumed = new RowCycle<>(rows, 5, 42, 1);
        assertEquals(cycle.batch(3), resumed.batch(3), "a task resumed at step 3 takes the same rows");
        assertNotEquals(firstPass.subList(0, 5), new RowCycle<>(rows, 5, 42, 0).batch(0), "another partition");
    }
}
