package io.ipckit.cluster.internal.pool;

import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.Codec;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster objects of pools and the payloads they carry, described here and nowhere else. Every payload
 * is sealed ({@link Sealer}, AES-GCM) for the object it is put in, so a process without the token can
 * neither read nor forge a task or a result, and a task envelope copied into a result queue is refused.
 *
 * <pre>
 * object                          kind   holds (each a sealed byte[])
 * ipckit.pool.tasks               IQueue task envelopes of every caller; the nodes compete for them
 * ipckit.pool.results.CALLER      IQueue one caller's replies: STARTED (which node took a task), OUTCOME
 * ipckit.pool.nodes               IMap   member uuid to {@link NodeInfo} of each node that runs workers
 * ipckit.pool.dead                IQueue payloads that could not be opened (dead letters, kept as they came)
 * ipckit.pool.cancels             ITopic cancellations of tasks, to every node
 * ipckit.pool.probes              ITopic a caller's question "which of my tasks do you hold?", to every node
 * ipckit.pool.callers             IMap   caller id to its JVM's client id (plain: names only), {@link DeadCallers}
 *
 * task envelope: version(1) caller(UTF) seq(8) then the pool's TASK message (io.ipckit.pool.internal.Messages),
 *                carried as the caller encoded it: the node hands it to its local pool undecoded
 * reply:         STARTED: kind(1) count(4) seqs(8 each) member uuid(UTF) host(UTF) node pid(8): the node took
 *                         these tasks of the caller (one reply for all those it took in one call)
 *                OUTCOME: kind(1) seq(8) then a codec encoding of Object[]{Object[] values, Throwable error}
                HELD:    kind(1) probe(8) count(4) seqs(8 each) member uuid(UTF) host(UTF) node pid(8): the
                         answer to probe number PROBE: the tasks of the caller this node holds (taken, outcome
                         not sent); every outcome it sent before is ahead of this answer on the queue
 * node info:     host(UTF) node pid(8) workers(4) count(4) worker pids(8 each)
 * cancel:        version(1) caller(UTF) seq(8) stop running(1)
 * probe:         version(1) caller(UTF) probe(8)
 * </pre>
 *
 * Thread role: stateless helpers for any thread, in callers and nodes.
 */
public final class Wire {
    /** The queue of every caller's tasks. */
    public static final String TASKS = "ipckit.pool.tasks";
    /** The map of the nodes that run workers. */
    public static final String NODES = "ipckit.pool.nodes";
    /** Where payloads that cannot be opened are kept. */
    public static final String DEAD = "ipckit.pool.dead";
    /** The map of the callers of pools, to their JVM's client ({@link DeadCallers}). */
    public static final String CALLERS = "ipckit.pool.callers";
    /** The topic of task cancellations, which every node listens to. */
    public static final String CANCELS = "ipckit.pool.cancels";
    /** The topic of callers' probes (which of my tasks do you hold?), which every node listens to. */
    public static final String PROBES = "ipckit.pool.probes";
    /** Reply kind: a node took these tasks (kind 1, a single task's, is no longer used). */
    public static final byte STARTED = 3;
    /** Reply kind: the task's outcome. */
    public static final byte OUTCOME = 2;
    /** Reply kind: a node's answer to a probe, the tasks it holds. */
    public static final byte HELD = 4;
    private static final byte VERSION = 1;

    private Wire() {
    }

    /** The queue of the replies to caller {@code caller}. */
    public static String results(String caller) {
        return "ipckit.pool.results." + caller;
    }

    /** A task envelope. */
    public record Task(String caller, long seq, byte[] message) {
    }

    /**
     * A reply: {@code seqs} (the tasks taken) and {@code node} for STARTED; {@code seqs} (one task),
     * {@code values} and {@code error} for OUTCOME; {@code probe}, {@code seqs} (the tasks held, maybe none)
     * and {@code node} for HELD.
     */
    public record Reply(byte kind, long probe, long[] seqs, NodeRef node, Object[] values, Throwable error) {
        /** The first (for an OUTCOME, the only) task of this reply. */
        public long seq() {
            return seqs[0];
        }
    }

    /** Where a task runs: the node's member uuid, its host:port and its pid. */
    public record NodeRef(String member, String host, long pid) {
    }

    /** A node's workers, as published in {@link #NODES}. */
    public record NodeInfo(String host, long pid, int workers, List<Long> workerPids) {
    }

    /** A sealed task envelope. */
    public static byte[] sealTask(Sealer sealer, String caller, long seq, byte[] message) {
        return sealer.seal(write(out -> {
            out.writeByte(VERSION);
            out.writeUTF(caller);
            out.writeLong(seq);
            out.write(message);
        }), TASKS);
    }

    /**
     * Opens a task envelope.
     *
     * @throws io.ipckit.cluster.ForgedPayloadException when it was not sealed with this token for the task queue
     * @throws IllegalArgumentException when it is malformed
     */
    public static Task openTask(Sealer sealer, byte[] sealed) {
        return readVersioned(sealer.open(sealed, TASKS), "a task envelope",
                in -> new Task(in.readUTF(), in.readLong(), in.readAllBytes()));
    }

    /** A sealed STARTED reply for the results queue {@code queue}: {@code node} took tasks {@code seqs} (at least one). */
    public static byte[] sealStarted(Sealer sealer, String queue, long[] seqs, NodeRef node) {
        return sealer.seal(write(out -> {
            out.writeByte(STARTED);
            writeSeqsAndNode(out, seqs, node);
        }), queue);
    }

    /**
     * A sealed HELD reply for the results queue {@code queue}: {@code node}'s answer to probe {@code probe},
     * the tasks of that caller it holds ({@code seqs}, maybe none).
     */
    public static byte[] sealHeld(Sealer sealer, String queue, long probe, long[] seqs, NodeRef node) {
        return sealer.seal(write(out -> {
            out.writeByte(HELD);
            out.writeLong(probe);
            writeSeqsAndNode(out, seqs, node);
        }), queue);
    }

    private static void writeSeqsAndNode(DataOutputStream out, long[] seqs, NodeRef node) throws IOException {
        out.writeInt(seqs.length);
        for (long seq : seqs) {
            out.writeLong(seq);
        }
        out.writeUTF(node.member());
        out.writeUTF(node.host());
        out.writeLong(node.pid());
    }

    private static NodeRef readNode(DataInputStream in) throws IOException {
        return new NodeRef(in.readUTF(), in.readUTF(), in.readLong());
    }

    private static long[] readSeqs(DataInputStream in, int n, int length, String what) throws IOException {
        if (n < 0 || n > length / 8) {
            throw new IllegalArgumentException("a " + what + " reply of " + n + " tasks in " + length + " bytes");
        }
        long[] seqs = new long[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = in.readLong();
        }
        return seqs;
    }

    /**
     * A sealed OUTCOME reply for the results queue {@code queue}. When the error or a value cannot be
     * encoded, the outcome is a RuntimeException saying so (with the error's text).
     */
    public static byte[] sealOutcome(Sealer sealer, Codec codec, String queue, long seq, Object[] values, Throwable error) {
        byte[] payload;
        try {
            payload = codec.encode(new Object[] {values, error});
        } catch (RuntimeException e) {
            payload = codec.encode(new Object[] {new Object[0], new RuntimeException("the outcome of task " + seq
                    + " could not be encoded on its node (" + e + "); the task's outcome was: "
                    + (error != null ? error : "a result"))});
        }
        byte[] p = payload;
        return sealer.seal(write(out -> {
            out.writeByte(OUTCOME);
            out.writeLong(seq);
            out.write(p);
        }), queue);
    }

    /**
     * Opens a reply read from {@code queue}. An OUTCOME whose payload cannot be decoded here (a class
     * missing in this JVM) becomes that task's error.
     *
     * @throws io.ipckit.cluster.ForgedPayloadException when it was not sealed with this token for this queue
     * @throws IllegalArgumentException when it is malformed
     */
    public static Reply openReply(Sealer sealer, Codec codec, String queue, byte[] sealed) {
        byte[] plain = sealer.open(sealed, queue);
        return read(plain, in -> {
            byte kind = in.readByte();
            if (kind == STARTED) {
                int n = in.readInt();
                if (n == 0) {
                    throw new IllegalArgumentException("a STARTED reply of no task");
                }
                long[] seqs = readSeqs(in, n, plain.length - 5, "STARTED");
                return new Reply(kind, 0, seqs, readNode(in), null, null);
            }
            if (kind == HELD) {
                long probe = in.readLong();
                long[] seqs = readSeqs(in, in.readInt(), plain.length - 13, "HELD");
                return new Reply(kind, probe, seqs, readNode(in), null, null);
            }
            if (kind != OUTCOME) {
                throw new IllegalArgumentException("a reply of unknown kind " + kind);
            }
            long[] seq = {in.readLong()};
            try {
                Object[] o = (Object[]) codec.decode(plain, 9, plain.length - 9);
                return new Reply(kind, 0, seq, null, (Object[]) o[0], (Throwable) o[1]);
            } catch (RuntimeException e) {
                return new Reply(kind, 0, seq, null, new Object[0], e);
            }
        });
    }

    /** A cancellation: task {@code seq} of {@code caller}; {@code stopRunning}: also when it runs. */
    public record Cancel(String caller, long seq, boolean stopRunning) {
    }

    /** A sealed cancellation for {@link #CANCELS}. */
    public static byte[] sealCancel(Sealer sealer, Cancel c) {
        return sealer.seal(write(out -> {
            out.writeByte(VERSION);
            out.writeUTF(c.caller());
            out.writeLong(c.seq());
            out.writeBoolean(c.stopRunning());
        }), CANCELS);
    }

    /**
     * Opens a cancellation.
     *
     * @throws io.ipckit.cluster.ForgedPayloadException when it was not sealed with this token for {@link #CANCELS}
     * @throws IllegalArgumentException when it is malformed
     */
    public static Cancel openCancel(Sealer sealer, byte[] sealed) {
        return readVersioned(sealer.open(sealed, CANCELS), "a cancellation",
                in -> new Cancel(in.readUTF(), in.readLong(), in.readBoolean()));
    }

    /** A probe: caller {@code caller} asks every node which of its tasks it holds; {@code id} numbers it. */
    public record Probe(String caller, long id) {
    }

    /** A sealed probe for {@link #PROBES}. */
    public static byte[] sealProbe(Sealer sealer, Probe p) {
        return sealer.seal(write(out -> {
            out.writeByte(VERSION);
            out.writeUTF(p.caller());
            out.writeLong(p.id());
        }), PROBES);
    }

    /**
     * Opens a probe.
     *
     * @throws io.ipckit.cluster.ForgedPayloadException when it was not sealed with this token for {@link #PROBES}
     * @throws IllegalArgumentException when it is malformed
     */
    public static Probe openProbe(Sealer sealer, byte[] sealed) {
        return readVersioned(sealer.open(sealed, PROBES), "a probe", in -> new Probe(in.readUTF(), in.readLong()));
    }

    /** A sealed node info for {@link #NODES}. */
    public static byte[] sealNode(Sealer sealer, NodeInfo info) {
        return sealer.seal(write(out -> {
            out.writeUTF(info.host());
            out.writeLong(info.pid());
            out.writeInt(info.workers());
            out.writeInt(info.workerPids().size());
            for (long p : info.workerPids()) {
                out.writeLong(p);
            }
        }), NODES);
    }

    /** Opens a node info; {@link io.ipckit.cluster.ForgedPayloadException} when forged. */
    public static NodeInfo openNode(Sealer sealer, byte[] sealed) {
        return read(sealer.open(sealed, NODES), in -> {
            String host = in.readUTF();
            long pid = in.readLong();
            int workers = in.readInt();
            int n = in.readInt();
            List<Long> pids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pids.add(in.readLong());
            }
            return new NodeInfo(host, pid, workers, List.copyOf(pids));
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    /** Reads a payload that begins with {@link #VERSION}; {@code what} names it in the error of another version. */
    private static <T> T readVersioned(byte[] plain, String what, Reader<T> r) {
        return read(plain, in -> {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException(what + " of another version");
            }
            return r.read(in);
        });
    }

    private static <T> T read(byte[] plain, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            return r.read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("a malformed pool payload (" + plain.length + " bytes): " + e, e);
        }
    }
}
