package io.careloop.brands;

import io.careloop.config.Settings;
import io.careloop.x.XService;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which X client posts for which brand. Reading needs only the app's bearer token, so every brand is listened to;
 * posting needs the brand account's own user token, so a brand is "connected" only when its token is configured:
 * the configured brand's is {@code CARELOOP_X_ACCESS_TOKEN}, a further brand's {@code CARELOOP_X_BRAND_<HANDLE>_ACCESS_TOKEN}.
 */
public final class PostingAccounts {
  private final String primaryId;
  private final XService primary;
  private final Function<String, Optional<Settings.UserToken>> tokens;
  private final Function<Settings.UserToken, XService> connect;
  private final Map<String, XService> clients = new ConcurrentHashMap<>();

  /** {@code tokens} gives a brand's posting token by its lower-case handle. */
  public PostingAccounts(String primaryHandle, XService primary, Function<String, Optional<Settings.UserToken>> tokens,
                         Function<Settings.UserToken, XService> connect) {
    this.primaryId = primaryHandle.toLowerCase(java.util.Locale.ROOT);
    this.primary = primary;
    this.tokens = tokens;
    this.connect = connect;
  }

  /** The client that posts as this brand; empty when the brand has no posting token. A null brand is the configured one. */
  public Optional<XService> forBrand(String handle) {
    String id = handle == null ? primaryId : handle.toLowerCase(java.util.Locale.ROOT);
    if (id.equals(primaryId)) return Optional.of(primary);
    return tokens.apply(id).map(token -> clients.computeIfAbsent(id, k -> connect.apply(token)));
  }

  public boolean connected(String handle) {
    return forBrand(handle).isPresent();
  }

  /** Closes the further brands' clients (the configured brand's belongs to whoever made it). */
  public io.vertx.core.Future<Void> close() {
    return io.vertx.core.Future.join(clients.values().stream().map(XService::close).toList()).mapEmpty();
  }
}
