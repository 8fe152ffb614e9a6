package io.careloop.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** A feature's share of the API: a handler per operation id of {@code openapi/careloop.yaml}. */
public interface Operations {
  Map<String, Handler<RoutingContext>> handlers();
}
