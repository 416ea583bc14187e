package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.vaegan.core.config.DataConfig;
import org.vaegan.core.config.InvalidConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The driver's view of a dataset before anything is decoded: the files of an "images" folder
 * tree (JPEG/PNG by extension, recursive, sorted) or the IDX file(s), their fingerprint, and the
 * errors a user should see at start (missing path, nothing to train on, malformed IDX header).
 */
public record DatasetListing(String source, String root, List<DataFile> files, int ignoredFiles, List<String> labelNames,
                             IdxShape idx, DataFingerprint fingerprint) {
    private static final List<String> PICTURE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    /** Records and record shape of an IDX images file (null for folders). */
    public record IdxShape(int count, int height, int width, String labelsUri) implements java.io.Serializable {
    }

    public static DatasetListing list(DataConfig data, Configuration hadoop) {
        Path root = new Path(data.path());
        try {
            FileSystem fs = fileSystem(root, hadoop);
            root = fs.makeQualified(root);
            if (!fs.exists(root)) {
                throw new InvalidConfigException("vaegan.data.path", "does not exist: " + root);
            }
            return DataConfig.IMAGES.equals(data.source()) ? listFolder(data, fs, root) : listIdx(data, fs, root, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list vaegan.data.path = " + data.path(), e);
        }
    }

    public static FileSystem fileSystem(Path path, Configuration hadoop) throws IOException {
        URI uri = path.toUri();
        return uri.getScheme() == null ? FileSystem.getLocal(hadoop) : FileSystem.get(uri, hadoop);
    }

    /** Whether a file name ends in .jpg, .jpeg or .png (any case): the pictures a folder is searched for. */
    public static boolean isPictureName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return PICTURE_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static DatasetListing listFolder(DataConfig data, FileSystem fs, Path root) throws IOException {
        FileStatus top = fs.getFileStatus(root);
        if (!top.isDirectory()) {
            throw new InvalidConfigException("vaegan.data.path", "must be a folder for vaegan.data.source = images, got the file " + root);
        }
        String prefix = root.toUri().getPath();
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        // listFiles yields files only: a directory named like a picture is walked, never decoded.
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        List<FileStatus> pictures = new ArrayList<>();
        int ignored = 0;
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (f.isFile() && isPictureName(f.getPath().getName())) {
                pictures.add(f);
            } else {
                ignored++;
            }
        }
        pictures.sort(Comparator.comparing(f -> f.getPath().toUri().getPath()));
        TreeSet<String> folders = new TreeSet<>();
        List<String> relative = new ArrayList<>();
        for (FileStatus f : pictures) {
            String rel = f.getPath().toUri().getPath().substring(prefix.length());
            relative.add(rel);
            int slash = rel.indexOf('/');
            if (data.labelsFromFolders() && slash > 0) {
                folders.add(rel.substring(0, slash));
            }
        }
        Map<String, Integer> labelOf = new TreeMap<>();
        for (String folder : folders) {
            labelOf.put(folder, labelOf.size());
        }
        List<DataFile> files = new ArrayList<>(pictures.size());
        for (int i = 0; i < pictures.size(); i++) {
            FileStatus f = pictures.get(i);
            String rel = relative.get(i);
            int slash = rel.indexOf('/');
            int label = data.labelsFromFolders() && slash > 0 ? labelOf.get(rel.substring(0, slash)) : -1;
            files.add(new DataFile(f.getPath().toString(), rel, f.getLen(), f.getModificationTime(), label));
        }
        if (files.isEmpty()) {
            throw new InvalidConfigException("vaegan.data.path", "holds no JPEG or PNG files (.jpg, .jpeg, .png, searched recursively): "
                    + root + (ignored > 0 ? " (" + ignored + " other files ignored)" : ""));
        }
        return new DatasetListing(DataConfig.IMAGES, root.toString(), List.copyOf(files), ignored, List.copyOf(folders), null,
                DataFingerprint.of(files));
    }

    private static DatasetListing listIdx(DataConfig data, FileSystem fs, Path images, Configuration hadoop) throws IOException {
        FileStatus status = fs.getFileStatus(images);
        if (status.isDirectory()) {
            throw new InvalidConfigException("vaegan.data.path", "must be an IDX images file for vaegan.data.source = idx, got the folder " + images);
        }
        List<DataFile> files = new ArrayList<>();
        files.add(new DataFile(images.toString(), images.getName(), status.getLen(), status.getModificationTime(), -1));
        IdxShape shape;
        try (InputStream in = fs.open(images); IdxFile idx = IdxFile.open(in, images.toString())) {
            if (idx.dims().length != 3) {
                throw new InvalidConfigException("vaegan.data.path", "must be an IDX images file (3 dimensions), " + images
                        + " has " + idx.dims().length);
            }
            shape = new IdxShape(idx.count(), idx.height(), idx.width(), null);
        } catch (IOException e) {
            throw new InvalidConfigException("vaegan.data.path", "cannot read an IDX header from " + images + ": " + e.getMessage());
        }
        if (!data.idxLabels().isBlank()) {
            Path labels = new Path(data.idxLabels());
            FileSystem labelFs = fileSystem(labels, hadoop);
            labels = labelFs.makeQualified(labels);
            if (!labelFs.exists(labels)) {
                throw new InvalidConfigException("vaegan.data.idx.labels", "does not exist: " + labels);
            }
            FileStatus ls = labelFs.getFileStatus(labels);
            try (InputStream in = labelFs.open(labels); IdxFile idx = IdxFile.open(in, labels.toString())) {
                if (idx.dims().length != 1 || idx.count() != shape.count()) {
                    throw new InvalidConfigException("vaegan.data.idx.labels", labels + " holds " + idx.count()
                            + " labels in " + idx.dims().length + " dimension(s); the images file has " + shape.count() + " images");
                }
            } catch (IOException e) {
                throw new InvalidConfigException("vaegan.data.idx.labels", "cannot read an IDX header from " + labels + ": " + e.getMessage());
            }
            files.add(new DataFile(labels.toString(), labels.getName(), ls.getLen(), ls.getModificationTime(), -1));
            shape = new IdxShape(shape.count(), shape.height(), shape.width(), labels.toString());
        }
        return new DatasetListing(DataConfig.IDX, images.toString(), List.copyOf(files), 0, List.of(), shape,
                DataFingerprint.of(files));
    }

    /** Number of items to decode: files (images) or records (idx). */
    public int items() {
        return idx != null ? idx.count() : files.size();
    }
}
