package io.careloop.accounts;

import java.util.Locale;

/** Staff roles of PRODUCT.md section 1. Wire names are what the API and the OpenAPI document use. */
public enum Role {
  AGENT("agent"), COMMUNITY("community"), LEAD("lead"), ADMIN("admin");

  private final String wire;

  Role(String wire) { this.wire = wire; }

  public String wire() { return wire; }

  public static Role fromWire(String s) {
    for (Role r : values()) if (r.wire.equals(s)) return r;
    throw new IllegalArgumentException("unknown role " + s.toLowerCase(Locale.ROOT));
  }
}
