package org.vaegan.spark.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * The file named by {@code --conf}: a local path, or any Hadoop URI (hdfs://, s3a://), which a
 * driver in a cluster container or a Kubernetes pod can read where a local file would not exist.
 * Remote files are copied to a local temporary file for the HOCON parser.
 */
final class ConfFileArgument {
    private ConfFileArgument() {
    }

    static File resolve(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            return new File(value); // a local path with characters a URI does not allow
        }
        String scheme = uri.getScheme();
        if (scheme == null || "file".equals(scheme) || scheme.length() == 1 /* a Windows drive */) {
            return scheme == null ? new File(value) : new File(uri.getPath());
        }
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(new Configuration());
            if (!fs.isFile(path)) {
                throw new IllegalArgumentException("--conf " + value + ": no such file");
            }
            File local = Files.createTempFile("vaegan-conf-", "-" + path.getName()).toFile();
            local.deleteOnExit();
            try (InputStream in = fs.open(path)) {
                Files.copy(in, local.toPath(), StandardCopyOption.REPLACE_EXISTING);
            }
            return local;
        } catch (IOException e) {
            throw new IllegalArgumentException("--conf " + value + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
