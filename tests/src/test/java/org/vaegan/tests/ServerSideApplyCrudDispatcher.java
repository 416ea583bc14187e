package org.vaegan.tests;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherHandler;
import io.fabric8.kubernetes.client.server.mock.crud.PostHandler;
import io.fabric8.kubernetes.client.server.mock.crud.PutHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;

/**
 * fabric8's CRUD API server mock, plus server-side apply: Spark 3.5's submission client creates the
 * driver's service and config maps with {@code PATCH} (content type
 * {@code application/apply-patch+yaml}), which the 6.7 mock answers with 404 for a resource that
 * does not exist yet. An API server creates it, or replaces it when it exists: so does this.
 */
final class ServerSideApplyCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSideApplyCrudDispatcher.class);
    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final KubernetesCrudDispatcherHandler create = new PostHandler((KubernetesAttributesExtractor) attributeExtractor, this);
    private final KubernetesCrudDispatcherHandler replace = new PutHandler(this);

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith(APPLY_PATCH)) {
            return super.handlePatch(request);
        }
        String path = request.getPath();
        String resourcePath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        // The body is YAML (JSON is YAML too); the handlers take JSON.
        String body = Serialization.asJson(Serialization.unmarshal(request.getBody().readUtf8()));
        synchronized (this) {
            boolean exists = handleGet(resourcePath).getStatus().contains(" 200 ");
            LOG.debug("server-side apply of {} ({})", resourcePath, exists ? "replace" : "create");
            try {
                return exists
                        ? replace.handle(resourcePath, "application/json", body)
                        : create.handle(resourcePath.substring(0, resourcePath.lastIndexOf('/')), "application/json", body);
            } catch (KubernetesCrudDispatcherException e) {
                return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
            } catch (RuntimeException e) {
                LOG.warn("server-side apply of {} failed", resourcePath, e);
                return new MockResponse().setResponseCode(HttpURLConnection.HTTP_INTERNAL_ERROR).setBody(String.valueOf(e));
            }
        }
    }
}
