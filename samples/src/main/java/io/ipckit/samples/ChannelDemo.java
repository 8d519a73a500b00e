package io.ipckit.samples;

import io.ipckit.core.Channel;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Space;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two JVMs and a channel: a writer process puts the letters of "python", a reader process takes them
 * and prints them in order. The parent creates the space and removes it at the end.
 */
public final class ChannelDemo {
    private ChannelDemo() {
    }

    public static void main(String[] args) throws Exception {
        try (Space space = Space.create()) {
            Channel<String> letters = space.channel("letters");
            System.out.println("[main pid " + ProcessHandle.current().pid() + "] space " + space.directory());
            Process writer = JvmLauncher.forMain(Writer.class).args(space.directory().toString()).inheritIO().start();
            if (writer.waitFor() != 0) {
                throw new IllegalStateException("writer failed with status " + writer.exitValue());
            }
            System.out.println("[main] " + letters.size() + " letters wait in the channel");
            Process reader = JvmLauncher.forMain(Reader.class).args(space.directory().toString()).inheritIO().start();
            if (!reader.waitFor(60, TimeUnit.SECONDS) || reader.exitValue() != 0) {
                reader.destroyForcibly();
                throw new IllegalStateException("reader failed");
            }
            System.out.println("[main] done; the space is removed on close");
        }
    }

    /** The writer process. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (Space space = Space.open(Path.of(args[0]))) {
                Channel<String> letters = space.channel("letters");
                for (char c : "python".toCharArray()) {
                    System.out.println("[writer pid " + ProcessHandle.current().pid() + "] put " + c);
                    letters.put(String.valueOf(c));
                }
            }
        }
    }

    /** The reader process. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            try (Space space = Space.open(Path.of(args[0]))) {
                Channel<String> letters = space.channel("letters");
                int n = letters.size();
                for (int i = 0; i < n; i++) {
                    System.out.println("[reader pid " + ProcessHandle.current().pid() + "] got "
                            + letters.poll(10, TimeUnit.SECONDS));
                }
            }
        }
    }
}
