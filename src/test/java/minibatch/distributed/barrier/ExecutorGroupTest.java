package minibatch.distributed.barrier;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import minibatch.distributed.sums.GradientSums;
import org.apache.spark.TaskKilledException;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One executor's group of resident tasks, without Spark: its sums, its orders and its bounded waits. */
class ExecutorGroupTest {
    private static GradientSums sums(long seed, int length) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[length];
        for (int i = 0; i < length; i++) {
            g[i] = rng.nextInt(4) == 0 ? (rng.nextBoolean() ? 0.0 : -0.0) : rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 8));
        }
        return new GradientSums(rng.nextDouble() * 100, g, 10 + seed);
    }

    /** The total over all partitions, as the driver adds one report per partition. */
    private static double[] flat(int parts, int length) {
        GradientSums[] all = new GradientSums[parts];
        for (int p = 0; p < parts; p++) {
            all[p] = sums(p, length);
        }
        double[] out = new double[length];
        GradientSums.total(List.of(all)).meanInto(out, 0, length);
        return out;
    }

    /**
     * True if the registry no longer holds {@code group}: joining its key again creates a new
     * group (which the check then leaves, so that it is gone too).
     */
    private static boolean gone(ExecutorGroup group, ExecutorGroup.Key key, int[] members) {
        ExecutorGroup again = ExecutorGroup.join(key, members, members[0], 99);
        again.leave();
        return again != group;
    }

    /** The driver's mean over groups {@code groups} (each ascending, ordered by lowest partition). */
    private static double[] grouped(int[][] groups, int length) {
        GradientSums[] parts = new GradientSums[groups.length];
        for (int g = 0; g < groups.length; g++) {
            var key = ExecutorGroup.key("test-" + g + "-" + length, 0, 0);
            var group = ExecutorGroup.join(key, groups[g], groups[g][0], 1);
            for (int p : groups[g]) {
                group.put(p, 3, sums(p, length), 1);
            }
            parts[g] = group.total(3, 1000, () -> false).sums();
            for (int i = 0; i < groups[g].length; i++) {
                group.leave();
            }
            assertTrue(gone(group, key, groups[g]), "a group leaves the registry when its last member leaves");
        }
        double[] out = new double[length];
        GradientSums.total(List.of(parts)).meanInto(out, 0, length);
        return out;
    }

    @Test
    void groupsGiveTheFlatTotalBitForBitWhenPartitionZerosGroupIsAPrefixAndTheOthersAreSingle() {
        int length = 5000;
        double[] flat = flat(4, length);
        assertArrayEquals(flat, grouped(new int[][] {{0, 1, 2, 3}}, length), 0.0, "one executor (local mode)");
        assertArrayEquals(flat, grouped(new int[][] {{0, 1}, {2}, {3}}, length), 0.0);
        assertArrayEquals(flat, grouped(new int[][] {{0}, {1}, {2}, {3}}, length), 0.0, "one-core executors");
        double[] other = grouped(new int[][] {{0, 2}, {1, 3}}, length);
        assertFalse(java.util.Arrays.equals(flat, other), "another grouping rounds differently (the README says so)");
        for (int i = 0; i < length; i++) {
            assertEquals(flat[i], other[i], Math.abs(flat[i]) * 1e-12 + 1e-300, "entry " + i);
        }
    }

    @Test
    void membersShareTheLeadersOrderObjectAndWaitForTheNextStep() {
        var leader = ExecutorGroup.join(ExecutorGroup.key("orders", 0, 0), new int[] {0, 2}, 0, 10);
        var other = ExecutorGroup.join(ExecutorGroup.key("orders", 0, 0), new int[] {0, 2}, 2, 12);
        assertSame(leader, other);
        assertTrue(leader.leads(0));
        assertFalse(other.leads(2));
        assertArrayEquals(new long[] {10, 12}, leader.taskIds(100, () -> false));
        CompletableFuture<StepOrder> first = other.orderAfter(-1);
        assertFalse(first.isDone());
        StepOrder step1 = new StepOrder(1, 5L, new long[0], 0L, new double[] {1, 2}, 1000);
        leader.publish(step1);
        assertSame(step1, first.join(), "the same object: one copy of the weights per executor");
        assertSame(step1, other.orderAfter(-1).join());
        assertFalse(other.orderAfter(1).isDone(), "step 1 done: wait for step 2");
        leader.publish(StepOrder.STOP);
        assertTrue(other.orderAfter(1).join().stop());
        leader.leave();
        other.leave();
        assertTrue(gone(leader, ExecutorGroup.key("orders", 0, 0), new int[] {0, 2}));
    }

    @Test
    void waitsForMembersAreBoundedAndSeeKills() {
        var group = ExecutorGroup.join(ExecutorGroup.key("waits", 1, 0), new int[] {0, 1}, 0, 7);
        try {
            var e = assertThrows(IllegalStateException.class, () -> group.taskIds(300, () -> false));
            assertEquals("partition 0: not every task of this executor's partitions [0, 1] started within 0.3 s",
                    e.getMessage());
            group.put(0, 4, sums(0, 3), 1);
            e = assertThrows(IllegalStateException.class, () -> group.total(4, 300, () -> false));
            assertEquals("partition 0: the sums of step 4 from this executor's partitions [0, 1] did not all arrive "
                    + "within 0.3 s", e.getMessage());
            assertThrows(TaskKilledException.class, () -> group.total(4, 10_000, () -> true));
            assertThrows(IllegalStateException.class,
                    () -> ExecutorGroup.join(ExecutorGroup.key("waits", 1, 0), new int[] {1}, 1, 8),
                    "every member must see the same group");
        } finally {
            group.leave();
        }
        assertTrue(gone(group, ExecutorGroup.key("waits", 1, 0), new int[] {0, 1}));
    }

    @Test
    void aNewAttemptsGroupDropsTheOlderOnesOfTheSameEndpoint() {
        var old = ExecutorGroup.join(ExecutorGroup.key("attempts", 0, 0), new int[] {0, 1}, 0, 1);
        var fresh = ExecutorGroup.join(ExecutorGroup.key("attempts", 0, 1), new int[] {0}, 0, 2);
        var zombie = ExecutorGroup.join(ExecutorGroup.key("attempts", 0, 0), new int[] {0, 1}, 1, 3);
        assertNotSame(old, zombie, "the older attempt's group, whose second task never came, is gone");
        var freshAgain = ExecutorGroup.join(ExecutorGroup.key("attempts", 0, 1), new int[] {0}, 0, 4);
        assertSame(fresh, freshAgain, "a zombie of the older attempt does not drop the newer group");
        freshAgain.leave();
        zombie.leave();
        old.leave();
        fresh.leave();
        assertTrue(gone(fresh, ExecutorGroup.key("attempts", 0, 1), new int[] {0}));
        assertTrue(gone(zombie, ExecutorGroup.key("attempts", 0, 0), new int[] {0, 1}));
    }
}
