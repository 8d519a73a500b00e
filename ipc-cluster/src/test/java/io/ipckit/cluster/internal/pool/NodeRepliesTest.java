package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterKeys;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.Codec;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node's replies on the caller's side of the wire: the outcomes go out in order, a probe's answer behind
 * every outcome handed over before it and naming only the tasks whose outcome is not ahead of it, and a
 * batch the cluster refuses is made again rather than lost (a fake cluster here: one result queue whose
 * first two {@code addAll} calls fail).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NodeRepliesTest extends LeakCheckingTest {
    private static final String CALLER = "caller-1";
    private static final String QUEUE = Wire.results(CALLER);
    private static final Wire.NodeRef ME = new Wire.NodeRef("member-1", "127.0.0.1:5701", 7);

    private final Sealer sealer = new Sealer(ClusterKeys.of(
            ClusterAddress.create("c", List.of(new ClusterAddress.Member("127.0.0.1", 5701)))));
    private final Codec codec = Codec.defaults();
    private final List<byte[]> delivered = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger(2);
    private final AtomicInteger calls = new AtomicInteger();

    @SuppressWarnings("unchecked")
    private HazelcastInstance cluster() {
        IQueue<byte[]> queue = (IQueue<byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {IQueue.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("addAll")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    calls.incrementAndGet();
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("partition moving (test)");
                    }
                    synchronized (delivered) {
                        delivered.addAll((Collection<byte[]>) args[0]);
                    }
                    return true;
                });
        return (HazelcastInstance) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HazelcastInstance.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getQueue") && QUEUE.equals(args[0])) {
                        return queue;
                    }
                    throw new UnsupportedOperationException(method.getName() + " " + java.util.Arrays.toString(args));
                });
    }

    private List<Wire.Reply> replies(int atLeast) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            synchronized (delivered) {
                if (delivered.size() >= atLeast || System.nanoTime() > end) {
                    List<Wire.Reply> out = new ArrayList<>();
                    for (byte[] b : delivered) {
                        out.add(Wire.openReply(sealer, codec, QUEUE, b));
                    }
                    return out;
                }
            }
            Thread.sleep(20);
        }
    }

    @Test
    void refusedBatchesAreMadeAgain_andAnAnswerFollowsTheOutcomesBeforeIt_namingTheTasksStillHeld() throws Exception {
        HeldTasks held = new HeldTasks();
        NodeReplies replies = new NodeReplies(cluster(), sealer, ME, held);
        HeldTasks.Held one = held.take(CALLER, 1);
        HeldTasks.Held two = held.take(CALLER, 2);
        held.take(CALLER, 3); // still running
        held.end(one);
        replies.outcome(one, () -> Wire.sealOutcome(sealer, codec, QUEUE, 1, new Object[] {"r1"}, null));
        held.end(two);
        replies.outcome(two, () -> Wire.sealOutcome(sealer, codec, QUEUE, 2, new Object[] {"r2"}, null));
        replies.answer(CALLER, 9);
        replies.start();
        try {
            List<Wire.Reply> got = replies(3);
            assertEquals(3, got.size(), "two outcomes and the answer, each once");
            assertEquals(List.of(Wire.OUTCOME, Wire.OUTCOME, Wire.HELD), got.stream().map(Wire.Reply::kind).toList());
            assertEquals(List.of(1L, 2L), List.of(got.get(0).seq(), got.get(1).seq()));
            assertEquals("r2", got.get(1).values()[0]);
            assertEquals(9, got.get(2).probe());
            assertArrayEquals(new long[] {3}, got.get(2).seqs(), "the answer names the task still running only");
            assertEquals(ME, got.get(2).node());
            assertEquals(3, calls.get(), "refused twice, then put");
        } finally {
            replies.stop(5_000);
        }
    }
}
