package io.ipckit.core.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRunnerTest extends io.ipckit.core.test.LeakCheckingTest {
    /** An idle strategy that records the work counts it is given (and may park long when there is none). */
    private static final class RecordingIdle implements IdleStrategy {
        final List<Integer> counts = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch parking = new CountDownLatch(1);
        final long parkNanos;

        RecordingIdle(long parkNanos) {
            this.parkNanos = parkNanos;
        }

        @Override
        public void idle(int workCount) {
            counts.add(workCount);
            IdleStrategy.super.idle(workCount);
        }

        @Override
        public void idle() {
            if (parkNanos > 0) {
                parking.countDown();
                LockSupport.parkNanos(parkNanos);
            }
        }

        @Override
        public void reset() {
        }
    }

    /** Does {@code script[i]} units of work in cycle i (then none), counting its closes. */
    private static class ScriptedAgent implements Agent {
        final int[] script;
        final AtomicInteger cycles = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        volatile Thread closedOn;

        ScriptedAgent(int... script) {
            this.script = script;
        }

        @Override
        public int doWork() throws Exception {
            int i = cycles.getAndIncrement();
            return i < script.length ? script[i] : 0;
        }

        @Override
        public String roleName() {
            return "test-agent";
        }

        @Override
        public void onClose() {
            closes.incrementAndGet();
            closedOn = Thread.currentThread();
        }
    }

    private static Thread start(AgentRunner runner) {
        Thread t = new Thread(runner, "agent-runner-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    @Timeout(30)
    void doesTheWork_andTheIdleStrategySeesEachCount() throws Exception {
        RecordingIdle idle = new RecordingIdle(0);
        ScriptedAgent agent = new ScriptedAgent(3, 0, 5, 1) {
            @Override
            public int doWork() throws Exception {
                int i = cycles.get();
                if (i == 4) {
                    throw new AgentTerminationException("done");
                }
                return super.doWork();
            }
        };
        AgentRunner runner = new AgentRunner(idle, e -> false, agent);
        Thread t = start(runner);
        assertTrue(runner.awaitClosed(10, TimeUnit.SECONDS), "the agent said it was done");
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(List.of(3, 0, 5, 1), idle.counts, "one idle call per cycle, with its work count");
        assertEquals(4, agent.cycles.get());
        assertEquals(1, agent.closes.get());
        assertSame(t, agent.closedOn, "onClose runs on the agent's thread");
        assertFalse(runner.isRunning());
    }

    @Test
    @Timeout(30)
    void stop_endsARunnerParkedInALongIdle_withinABound() throws Exception {
        RecordingIdle idle = new RecordingIdle(TimeUnit.MINUTES.toNanos(10));
        ScriptedAgent agent = new ScriptedAgent();
        AgentRunner runner = new AgentRunner(idle, e -> false, agent);
        Thread t = start(runner);
        assertTrue(idle.parking.await(10, TimeUnit.SECONDS));
        assertTrue(runner.isRunning());
        long started = System.nanoTime();
        assertTrue(runner.stop(10, TimeUnit.SECONDS), "stop wakes the park and waits for the close");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(1, agent.closes.get());
        assertTrue(runner.stop(1, TimeUnit.SECONDS), "a second stop finds it closed");
        assertEquals(1, agent.closes.get(), "onClose runs once");
    }

    @Test
    @Timeout(30)
    void anExceptionOfDoWork_reachesTheHandler_andTheLoopGoesOn() throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch goneOn = new CountDownLatch(1);
        RecordingIdle idle = new RecordingIdle(0);
        ScriptedAgent agent = new ScriptedAgent() {
            @Override
            public int doWork() throws Exception {
                int i = cycles.getAndIncrement();
                if (i == 0) {
                    throw new java.io.IOException("cycle 0 failed");
                }
                if (i == 1) {
                    throw new IllegalStateException("cycle 1 failed");
                }
                if (i == 2) {
                    goneOn.countDown();
                }
                return 0;
            }
        };
        AgentRunner runner = new AgentRunner(idle, e -> errors.add(e), agent);
        Thread t = start(runner);
        assertTrue(goneOn.await(10, TimeUnit.SECONDS), "the loop went on after two failed cycles");
        assertTrue(runner.stop(10, TimeUnit.SECONDS));
        t.join(10_000);
        assertEquals(2, errors.size());
        assertEquals("cycle 0 failed", errors.get(0).getMessage());
        assertEquals("cycle 1 failed", errors.get(1).getMessage());
        assertEquals(0, idle.counts.get(0), "a failed cycle counts as one without work");
        assertEquals(1, agent.closes.get());
    }

    @Test
    @Timeout(30)
    void aHandlerThatSaysStop_endsTheLoop_andClosesOnce() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        ScriptedAgent agent = new ScriptedAgent() {
            @Override
            public int doWork() {
                cycles.incrementAndGet();
                throw new IllegalStateException("broken");
            }
        };
        AgentRunner runner = new AgentRunner(new RecordingIdle(0), e -> {
            handled.incrementAndGet();
            return false;
        }, agent);
        Thread t = start(runner);
        assertTrue(runner.awaitClosed(10, TimeUnit.SECONDS));
        t.join(10_000);
        assertEquals(1, handled.get());
        assertEquals(1, agent.cycles.get());
        assertEquals(1, agent.closes.get());
    }

    @Test
    @Timeout(30)
    void stopBeforeTheThreadRan_closesOnTheStoppingThread_andRunReturnsAtOnce() throws Exception {
        ScriptedAgent agent = new ScriptedAgent(1);
        AgentRunner runner = new AgentRunner(new RecordingIdle(0), e -> false, agent);
        assertTrue(runner.stop(1, TimeUnit.SECONDS));
        assertSame(Thread.currentThread(), agent.closedOn);
        runner.run();
        assertEquals(0, agent.cycles.get(), "a stopped runner does no cycle");
        assertEquals(1, agent.closes.get());
    }

    @Test
    @Timeout(30)
    void anAgentStoppingItself_endsAfterItsCycle() throws Exception {
        AgentRunner[] self = new AgentRunner[1];
        ScriptedAgent agent = new ScriptedAgent() {
            @Override
            public int doWork() {
                if (cycles.incrementAndGet() == 3) {
                    assertFalse(self[0].stop(1, TimeUnit.SECONDS), "on its own thread stop only asks");
                }
                return 1;
            }
        };
        self[0] = new AgentRunner(new RecordingIdle(0), e -> false, agent);
        Thread t = start(self[0]);
        assertTrue(self[0].awaitClosed(10, TimeUnit.SECONDS));
        t.join(10_000);
        assertEquals(3, agent.cycles.get());
        assertEquals(1, agent.closes.get());
    }

    @Test
    @Timeout(30)
    void aRunnerRunsOnce() throws Exception {
        AgentRunner runner = new AgentRunner(new RecordingIdle(0), e -> false, new ScriptedAgent() {
            @Override
            public int doWork() {
                throw new AgentTerminationException("done");
            }
        });
        runner.run();
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::run);
        assertTrue(e.getMessage().contains("test-agent"), e.getMessage());
    }

    @Test
    @Timeout(30)
    void backoff_isAnIdleStrategy_thatResetsOnWork() {
        Backoff b = new Backoff(0, 1_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!b.parksNext() && System.nanoTime() - deadline < 0) {
            b.idle(0);
        }
        assertTrue(b.parksNext(), "idle past the yield phase");
        b.idle(1);
        assertFalse(b.parksNext(), "work resets the backoff to its first phase");
    }
}
