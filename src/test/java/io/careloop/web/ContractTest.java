package io.careloop.web;

import io.careloop.accounts.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAPI contract")
class ContractTest {

  @Test
  @DisplayName("is valid, and every operation declares who may call it")
  void everyOperationDeclaresAccess(Vertx vertx) {
    OpenAPIContract contract = OpenAPIContract.from(vertx, WebServer.CONTRACT).await();
    assertFalse(contract.operations().isEmpty());
    for (Operation op : contract.operations()) {
      Object roles = op.getExtensions().get("x-careloop-roles");
      boolean isPublic = Boolean.TRUE.equals(op.getExtensions().get("x-careloop-public"));
      assertTrue(isPublic || roles instanceof JsonArray, op.getOperationId() + " declares neither roles nor public");
      if (roles instanceof JsonArray array) array.forEach(r -> Role.fromWire(String.valueOf(r)));
    }
  }
}
