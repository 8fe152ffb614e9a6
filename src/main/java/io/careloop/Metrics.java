package io.careloop;

import io.careloop.scaleout.Leases;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The process's own meters beside Vert.x's (the HTTP server's, the event bus's): what an operator alerts on. */
final class Metrics {
  private Metrics() {}

  static void leases(PrometheusMeterRegistry registry, Leases leases) {
    Gauge.builder("careloop.leases.held", leases, Leases::heldCount)
      .description("Leases this node holds (sources it polls, and single-node duties)").register(registry);
    FunctionCounter.builder("careloop.lease.fenced.writes", leases, Leases::fencedWrites)
      .description("Checkpoint writes refused because a newer lease holder took over").register(registry);
  }
}
