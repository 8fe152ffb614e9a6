package io.careloop.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A signed-in console user over real HTTP: session cookie and CSRF token, like the browser. */
public final class Agent {
  private final WebClientSession client;
  private final String csrf;
  public final String username;

  private Agent(WebClientSession client, String csrf, String username) {
    this.client = client;
    this.csrf = csrf;
    this.username = username;
  }

  public static Agent login(Vertx vertx, int port, String username, String password) {
    WebClientSession client = WebClientSession.create(WebClient.create(vertx,
      new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)));
    HttpResponse<Buffer> r = client.post("/api/login")
      .sendJsonObject(new JsonObject().put("username", username).put("password", password)).await();
    assertEquals(200, r.statusCode(), () -> "login of " + username + ": " + r.bodyAsString());
    return new Agent(client, r.bodyAsJsonObject().getString("csrfToken"), username);
  }

  public Reply get(String path) {
    return new Reply(client.get(path).send().await());
  }

  public Reply post(String path, JsonObject body) {
    return post(path, body, Map.of());
  }

  public Reply post(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, body, headers);
  }

  public Reply put(String path, JsonObject body) {
    return put(path, body, Map.of());
  }

  public Reply put(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.PUT, path, body, headers);
  }

  public Reply patch(String path, JsonObject body) {
    return send(HttpMethod.PATCH, path, body, Map.of());
  }

  public Reply delete(String path) {
    return send(HttpMethod.DELETE, path, null, Map.of());
  }

  public Reply postRaw(String path, String contentType, String body) {
    return sendRaw(HttpMethod.POST, path, contentType, body);
  }

  public Reply putRaw(String path, String contentType, String body) {
    return sendRaw(HttpMethod.PUT, path, contentType, body);
  }

  /** Any verb with this session's CSRF token, a JSON body (none when null) and extra headers. */
  public Reply send(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
    HttpRequest<Buffer> req = client.request(method, path).putHeader("X-CSRF-Token", csrf);
    headers.forEach(req::putHeader);
    return new Reply(body == null ? req.send().await() : req.sendJsonObject(body).await());
  }

  private Reply sendRaw(HttpMethod method, String path, String contentType, String body) {
    return new Reply(client.request(method, path).putHeader("X-CSRF-Token", csrf).putHeader("content-type", contentType)
      .sendBuffer(Buffer.buffer(body)).await());
  }

  /** The session cookie as a {@code Cookie} header value, for a client outside this session (an event stream). */
  public String cookie() {
    var stored = client.cookieStore().get(false, "127.0.0.1", "/").iterator().next();
    return stored.name() + "=" + stored.value();
  }

  public WebClientSession client() { return client; }

  public String csrf() { return csrf; }

  /** An HTTP answer with assertion helpers. */
  public record Reply(HttpResponse<Buffer> response) {
    public Reply expect(int status) {
      assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
      return this;
    }

    public JsonObject json() { return response.bodyAsJsonObject(); }

    public int status() { return response.statusCode(); }

    public String body() { return response.bodyAsString(); }
  }
}
