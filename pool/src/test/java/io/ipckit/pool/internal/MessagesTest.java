package io.ipckit.pool.internal;

import io.ipckit.core.Codec;
import io.ipckit.core.SerializationException;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pool's messages: a header read with plain byte operations, then one encoding of the payload. */
class MessagesTest extends LeakCheckingTest {
    private final Codec codec = Codec.defaults();

    @Test
    void task_headerAndBothEncodings_readBackWhereTheyLie() {
        byte[] fn = codec.encode("the function");
        byte[] args = codec.encode(new Object[] {1, "two"});

        byte[] m = Messages.withSeq(Messages.task(TaskShape.BIFUNCTION | TaskShape.CACHEABLE, fn, args, args.length), 1L << 40);

        assertSame(m, Messages.of(m));
        assertEquals(Messages.TASK, Messages.kind(m));
        assertEquals(1L << 40, Messages.seq(m));
        assertEquals(TaskShape.BIFUNCTION | TaskShape.CACHEABLE, Messages.shape(m));
        assertEquals("the function", codec.decode(m, Messages.HEADER, Messages.functionLength(m)));
        assertArrayEquals(new Object[] {1, "two"}, (Object[]) Messages.decodePayload(codec, m));
        assertEquals(Messages.HEADER + fn.length + args.length, m.length, "nothing but the header is added");
    }

    @Test
    void result_payloadThatCannotBeDecoded_stillGivesItsTaskNumber() {
        byte[] garbage = {(byte) 0xff, 0x7f, 1, 2, 3};

        byte[] m = Messages.result(Messages.DONE, 0, 42, garbage, garbage.length);

        assertEquals(Messages.DONE, Messages.kind(Messages.of(m)));
        assertEquals(42, Messages.seq(m), "the number is read from the header, without the codec");
        assertThrows(SerializationException.class, () -> Messages.decodePayload(codec, m));
    }

    @Test
    void readyAndStop_carryNoPayload() {
        byte[] ready = Messages.result(Messages.READY, 3, 12345, null, 0);
        assertEquals(3, Messages.slot(ready));
        assertEquals(12345, Messages.pid(ready));
        assertEquals(0, Messages.payloadLength(ready));
        assertEquals(Messages.STOP, Messages.kind(Messages.of(Messages.stop())));
    }

    @Test
    void of_somethingElse_isNotAMessage() {
        for (Object other : List.of("a string", new byte[3], new byte[Messages.HEADER], new Object[0])) {
            assertNull(Messages.of(other), String.valueOf(other));
        }
        byte[] lying = Messages.task(TaskShape.FUNCTION, new byte[4], new byte[0], 0);
        lying[4] = 100; // a function longer than the message
        assertNull(Messages.of(lying), Arrays.toString(lying));
    }
}
