package io.ipckit.core.test;

import io.ipckit.core.Codec;
import io.ipckit.core.test.UserTypes.Counter;

import java.util.Base64;

/**
 * Child JVM: {@code <base64 of a codec-encoded Counter proxy> <n>}: decodes a proxy made in another JVM and
 * calls {@code increment()} on it {@code n} times.
 */
public final class CounterChildMain {
    private CounterChildMain() {
    }

    public static void main(String[] args) {
        Counter counter = (Counter) Codec.defaults().decode(Base64.getDecoder().decode(args[0]));
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            counter.increment();
        }
        System.out.println("done " + counter);
    }
}
