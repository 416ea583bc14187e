package org.vaegan.core.io;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Whole-file reads and writes on a Hadoop FileSystem: written to a temporary name, then renamed. */
public final class RunFiles {
    private RunFiles() {
    }

    public static void writeAtomically(FileSystem fs, Path target, byte[] content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(content);
        }
        // Object stores and the local FS lack an atomic replace: delete, then rename.
        if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    public static void writeAtomically(FileSystem fs, Path target, String content) throws IOException {
        writeAtomically(fs, target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] read(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    public static String readText(FileSystem fs, Path path) throws IOException {
        return new String(read(fs, path), StandardCharsets.UTF_8);
    }
}
