package org.vaegan.core.io;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every path of one exported model's folder {@code <models-dir>/<name>/}: its versions
 * {@code v0001/}, {@code v0002/}, ... (each a checkpoint folder, see {@link CheckpointFormat}) and
 * {@code LATEST}, a text file naming the newest complete version.
 */
public final class ModelLayout {
    public static final String LATEST = "LATEST";
    private static final Pattern VERSION = Pattern.compile("v\\d{4,}");

    private final FileSystem fs;
    private final Path root;

    /** @param root {@code <models-dir>/<name>}, qualified on {@code fs} */
    public ModelLayout(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
    }

    public Path latestPointer() {
        return new Path(root, LATEST);
    }

    public static String versionName(int number) {
        return String.format("v%04d", number);
    }

    public static boolean isVersionName(String name) {
        return VERSION.matcher(name).matches();
    }

    public Path version(int number) {
        return new Path(root, versionName(number));
    }

    /** The version folders present (complete or not; temporary folders excluded), oldest first. */
    public List<Path> versions() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(root)) {
            return out;
        }
        for (FileStatus s : fs.listStatus(root)) {
            if (s.isDirectory() && isVersionName(s.getPath().getName())) {
                out.add(s.getPath());
            }
        }
        out.sort(Comparator.comparing(ModelLayout::number));
        return out;
    }

    /** The number the next export gets: one above the highest present, 1 for the first. */
    public int nextNumber() throws IOException {
        List<Path> versions = versions();
        return versions.isEmpty() ? 1 : Math.toIntExact(number(versions.get(versions.size() - 1)) + 1);
    }

    private static long number(Path version) {
        return Long.parseLong(version.getName().substring(1));
    }
}
