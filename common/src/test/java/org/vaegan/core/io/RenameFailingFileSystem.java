package org.vaegan.core.io;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.net.URI;

/**
 * The local file system under the scheme {@code failrename:}, whose rename of a temporary
 * checkpoint folder into place fails while {@link #failCheckpointRenames} is set: a crash after
 * the files are written and before the checkpoint is committed.
 */
public final class RenameFailingFileSystem extends RawLocalFileSystem {
    static volatile boolean failCheckpointRenames;

    @Override
    public URI getUri() {
        return URI.create("failrename:///");
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (failCheckpointRenames && src.getName().startsWith(".round-")) {
            throw new IOException("injected crash before committing " + dst);
        }
        return super.rename(src, dst);
    }
}
