package org.vaegan.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {
    @Test
    void credentialSettingsOfSparkAndHadoopLoseTheirValuesButKeepTheirNames() {
        Map<String, String> given = Map.of(
                "spark.hadoop.fs.s3a.secret.key", "FAKE-SECRET",
                "spark.hadoop.fs.s3a.access.key", "FAKE-ACCESS",
                "spark.hadoop.fs.s3a.session.token", "FAKE-TOKEN",
                "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net", "FAKE-AZURE",
                "spark.ssl.keyStorePassword", "FAKE-PASSWORD",
                "spark.authenticate.secret", "FAKE-AUTH",
                "spark.executor.memory", "4g",
                "spark.app.name", "vaegan-run");
        SortedMap<String, String> out = Redaction.settings(given);
        assertEquals(given.keySet(), out.keySet());
        for (String name : List.of("spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key",
                "spark.hadoop.fs.s3a.session.token", "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
                "spark.ssl.keyStorePassword", "spark.authenticate.secret")) {
            assertEquals(Redaction.REDACTED, out.get(name), name);
        }
        assertEquals("4g", out.get("spark.executor.memory"));
        assertEquals("vaegan-run", out.get("spark.app.name"));
        assertFalse(out.toString().contains("FAKE"), out.toString());
    }

    @Test
    void uriUserInfoIsRemovedWhereverItAppears() {
        String json = "{\"path\" : \"s3a://AKIAFAKE:fake%2Fsecret@bucket/data\", \"dir\" : \"hdfs://nn:8020/runs\","
                + " \"mail\" : \"someone@example.org\"}";
        String out = Redaction.userInfo(json);
        assertEquals("{\"path\" : \"s3a://***@bucket/data\", \"dir\" : \"hdfs://nn:8020/runs\","
                + " \"mail\" : \"someone@example.org\"}", out);
        assertTrue(Redaction.userInfo("settings s3a://K:S@b/x and https://u:p@host/y").matches(
                "settings s3a://\\*\\*\\*@b/x and https://\\*\\*\\*@host/y"));
    }
}
