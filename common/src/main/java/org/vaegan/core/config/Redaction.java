package org.vaegan.core.config;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps credentials that reach the job through Spark or Hadoop settings (s3a keys, tokens,
 * passwords) out of everything it writes: run.json, logs, metrics, reports. A setting whose name
 * looks secret keeps its name and loses its value; a URI keeps everything but its user info.
 */
public final class Redaction {
    /** What replaces a secret. */
    public static final String REDACTED = "*********(redacted)";

    /**
     * Spark's own default (spark.redaction.regex: secret, password, token, access.key) widened to
     * Hadoop's credential names: fs.s3a.secret.key, fs.azure.account.key.*, *.private.key, ...
     */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)secret|password|passwd|token|credential|access[._-]?key|account[._-]?key|private[._-]?key|signature");
    /** scheme://user:password@host: the user info ends at '@' and holds no '/', quote or space. */
    private static final Pattern URI_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s\"']+@");

    private Redaction() {
    }

    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).find();
    }

    /** The settings sorted by name, secret values replaced. */
    public static SortedMap<String, String> settings(Map<String, String> settings) {
        SortedMap<String, String> out = new TreeMap<>();
        settings.forEach((name, value) -> out.put(name, isSecretName(name) ? REDACTED : userInfo(value)));
        return out;
    }

    /** The text with the user info of every URI in it (s3a://KEY:SECRET@bucket/...) replaced. */
    public static String userInfo(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return URI_USER_INFO.matcher(text).replaceAll("$1***@");
    }
}
