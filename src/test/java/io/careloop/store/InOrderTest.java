package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class InOrderTest {

  @Test
  @DisplayName("a backlog of 100,000 pieces that finish at once all run, in order, behind one that waits (no stack overflow)")
  void longBacklogOfInstantPieces(Vertx vertx) {
    InOrder inOrder = new InOrder();
    List<Integer> ran = new ArrayList<>();
    Promise<Void> gate = Promise.promise();
    inOrder.run(() -> gate.future());
    List<Future<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int n = i;
      all.add(inOrder.run(() -> {
        ran.add(n);
        return n % 1000 == 0 ? Future.failedFuture("piece " + n + " failed") : Future.succeededFuture(n);
      }));
    }
    assertTrue(ran.isEmpty(), "nothing runs before the piece ahead finishes");
    gate.complete();
    assertEquals(100_000, ran.size());
    for (int i = 0; i < ran.size(); i++) assertEquals(i, ran.get(i));
    assertTrue(all.get(99_999).succeeded());
    assertTrue(all.get(1000).failed(), "a failed piece fails its own future, not the ones after it");
  }

  @Test
  @DisplayName("pieces that wait on timers still run one at a time, in order, and a piece that throws does not stop the rest")
  void asynchronousPieces(Vertx vertx) {
    InOrder inOrder = new InOrder();
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      all.add(inOrder.run(() -> {
        log.add("start " + n);
        if (n == 7) throw new IllegalStateException("boom");
        Promise<Void> p = Promise.promise();
        vertx.setTimer(1 + (20 - n) % 5, t -> {
          log.add("end " + n);
          p.complete();
        });
        return p.future();
      }));
    }
    Future.join(all).otherwiseEmpty().await();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("start " + i);
      if (i != 7) expected.add("end " + i);
    }
    assertEquals(expected, log);
    assertTrue(all.get(7).failed());
  }

  @Test
  @DisplayName("each item of a list in turn, the next begun once the one before succeeded; the first failure stops the rest")
  void eachInTurn() {
    List<String> ran = new ArrayList<>();
    Promise<Void> first = Promise.promise();
    Future<Void> all = InOrder.each(List.of("a", "b", "c"), item -> {
      ran.add(item);
      return item.equals("a") ? first.future() : Future.succeededFuture();
    });
    assertEquals(List.of("a"), ran, "b waits for a");
    first.complete();
    assertEquals(List.of("a", "b", "c"), ran);
    assertTrue(all.succeeded());

    ran.clear();
    Future<Void> failing = InOrder.each(List.of("a", "b", "c"), item -> {
      ran.add(item);
      return item.equals("b") ? Future.failedFuture("b failed") : Future.succeededFuture();
    });
    assertTrue(failing.failed());
    assertEquals(List.of("a", "b"), ran, "c is not begun after b failed");
  }
}
