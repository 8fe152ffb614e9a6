package io.careloop.outbox;

import java.time.Instant;

/** A post as the network confirmed it: its id there and, when the network says, when it went up. */
public record Posted(String id, Instant at) {}
