package io.careloop.web;

import io.careloop.accounts.Role;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON API: one thin handler per operation of {@code openapi/careloop.yaml}. For every operation the chain is
 * access (session, role, CSRF) → validation against the contract → handler, so a caller without the right never
 * learns anything from validation messages, and bad input never reaches a service.
 */
public final class ApiRoutes {
  private final OpenAPIContract contract;
  private final Access access;
  private final List<Operations> features;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final LiveEvents live;

  ApiRoutes(Vertx vertx, OpenAPIContract contract, Access access, List<Operations> features, LiveEvents live) {
    this.contract = contract;
    this.access = access;
    this.features = features;
    this.live = live;
    this.validator = RequestValidator.create(vertx, new ReusedValidators(contract));
  }

  /** Mounts every operation; fails fast at start if the contract has an operation without a handler. */
  public void mount(RouterBuilder builder) {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    for (Operations feature : features) {
      feature.handlers().forEach((operationId, handler) -> {
        if (handlers.putIfAbsent(operationId, handler) != null) throw new IllegalStateException("two handlers for operation " + operationId);
      });
    }
    handlers.put("liveEvents", ctx -> live.stream(ctx, Access.user(ctx)));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.get(operationId);
      if (handler == null) throw new IllegalStateException("no handler for operation " + operationId);
      // Validation is ours, after the access check (the built-in one would run first).
      route.setDoValidation(false);
      if (!Boolean.TRUE.equals(route.getOperation().getExtensions().get("x-careloop-public"))) {
        route.addHandler(access.require(roles(route)));
      }
      route.addHandler(ctx -> validate(ctx, operationId)).addHandler(handler);
    }
  }

  static List<Role> roles(OpenAPIRoute route) {
    Object declared = route.getOperation().getExtensions().get("x-careloop-roles");
    if (!(declared instanceof JsonArray array)) {
      throw new IllegalStateException(route.getOperation().getOperationId() + " declares neither x-careloop-roles nor x-careloop-public");
    }
    return array.stream().map(r -> Role.fromWire(String.valueOf(r))).toList();
  }

  private void validate(RoutingContext ctx, String operationId) {
    extractor.extractValidatableRequest(ctx, contract.operation(operationId))
      .compose(request -> validator.validate(request, operationId))
      .onSuccess(validated -> {
        ctx.put(Http.VALIDATED, validated);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }
}
