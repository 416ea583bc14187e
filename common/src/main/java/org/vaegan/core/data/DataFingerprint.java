package org.vaegan.core.data;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies a dataset's content without reading it: the sorted file list with sizes and
 * modification times, hashed. Any added, removed, resized or touched file changes the SHA-256.
 */
public record DataFingerprint(int files, long bytes, long newestModified, String sha256) implements Serializable {

    public static DataFingerprint of(List<DataFile> files) {
        MessageDigest digest = newDigest();
        long bytes = 0;
        long newest = 0;
        for (DataFile f : files) {
            digest.update((f.relativePath() + "\t" + f.size() + "\t" + f.modified() + "\n").getBytes(StandardCharsets.UTF_8));
            bytes += f.size();
            newest = Math.max(newest, f.modified());
        }
        return new DataFingerprint(files.size(), bytes, newest, HexFormat.of().formatHex(digest.digest()));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
