package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.SerializationException;

import java.nio.file.FileSystems;
import java.nio.file.Path;

/** Serializes a {@link Path} of the default file system as its string form. */
final class PathSerializer extends Serializer<Path> {

    PathSerializer() {
        super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output out, Path path) {
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new SerializationException("cannot encode path " + path + ": it belongs to " + path.getFileSystem()
                    + ", not the default file system; send its string form or its bytes instead");
        }
        out.writeString(path.toString());
    }

    @Override
    public Path read(Kryo kryo, Input in, Class<? extends Path> type) {
        return Path.of(in.readString());
    }
}
