package io.careloop.store;

import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded server before SCRAM, spoken to in raw wire protocol (OP_QUERY and OP_MSG, as an attacker would, with
 * no driver to be polite): every command that reads data is refused, the legacy serverStatus tells nothing, and
 * handshake-like commands naming other databases create none (they would stay on disk).
 */
@ExtendWith(VertxExtension.class)
@org.junit.jupiter.api.DisplayName("The embedded database's wire protocol before signing in")
class EmbeddedWireProtocolTest {
  static int reqId = 1;

  static byte[] bson(BsonDocument d) {
    BasicOutputBuffer out = new BasicOutputBuffer();
    new BsonDocumentCodec().encode(new BsonBinaryWriter(out), d, EncoderContext.builder().build());
    return out.toByteArray();
  }

  static BsonDocument readDoc(ByteBuffer b) {
    return new BsonDocumentCodec().decode(new BsonBinaryReader(b), DecoderContext.builder().build());
  }

  static ByteBuffer frame(InputStream in) throws Exception {
    DataInputStream d = new DataInputStream(in);
    byte[] lenB = new byte[4];
    d.readFully(lenB);
    int len = ByteBuffer.wrap(lenB).order(ByteOrder.LITTLE_ENDIAN).getInt();
    byte[] rest = new byte[len - 4];
    d.readFully(rest);
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    b.put(lenB).put(rest).flip();
    return b;
  }

  static BsonDocument opQuery(Socket s, String ns, BsonDocument q) throws Exception {
    byte[] doc = bson(q);
    byte[] nsb = (ns + "\0").getBytes(StandardCharsets.UTF_8);
    int len = 16 + 4 + nsb.length + 8 + doc.length;
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(len).putInt(reqId++).putInt(0).putInt(2004).putInt(0).put(nsb).putInt(0).putInt(-1).put(doc);
    s.getOutputStream().write(b.array());
    ByteBuffer r = frame(s.getInputStream());
    r.position(16 + 4 + 8 + 4);
    int n = r.getInt();
    return n == 0 ? new BsonDocument() : readDoc(r.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  static BsonDocument opMsg(Socket s, BsonDocument body) throws Exception {
    byte[] doc = bson(body);
    int len = 16 + 4 + 1 + doc.length;
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(len).putInt(reqId++).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(doc);
    s.getOutputStream().write(b.array());
    ByteBuffer r = frame(s.getInputStream());
    r.position(16 + 4 + 1);
    return readDoc(r.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  @org.junit.jupiter.api.DisplayName("reads by every path are refused, serverStatus says nothing, and no database is created before signing in")
  void beforeSigningIn(Vertx vertx, @TempDir Path data) throws Exception {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      InetSocketAddress a = h.app().database().embeddedAddress();
      String[] names = {"find$cmd", "wrapped", "legacy", "FindMsg", "listDatabases", "getMoreQ"};
      for (String n : names) {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
          s.setSoTimeout(5000);
          BsonDocument r = switch (n) {
            case "find$cmd" -> opQuery(s, "careloop.$cmd", new BsonDocument("find", new BsonString("users")));
            case "wrapped" -> opQuery(s, "careloop.$cmd", new BsonDocument("$query", new BsonDocument("find", new BsonString("users"))));
            case "legacy" -> opQuery(s, "careloop.users", new BsonDocument());
            case "FindMsg" -> opMsg(s, new BsonDocument("Find", new BsonString("users")).append("$db", new BsonString("careloop")));
            case "listDatabases" -> opMsg(s, new BsonDocument("listDatabases", new BsonInt32(1)).append("$db", new BsonString("admin")));
            default -> opQuery(s, "admin.$cmd", new BsonDocument("getMore", new org.bson.BsonInt64(1)).append("collection", new BsonString("users")));
          };
          org.junit.jupiter.api.Assertions.assertEquals(13, r.getInt32("code", new BsonInt32(-1)).getValue(), n + " answered " + r.toJson());
          org.junit.jupiter.api.Assertions.assertFalse(r.toJson().contains("argon2"), n + " leaked " + r.toJson());
        } catch (java.io.IOException ended) {
          // the server ended the connection: refused as well
        }
      }
      try (Socket s = new Socket(a.getAddress(), a.getPort())) {
        s.setSoTimeout(5000);
        BsonDocument status = opQuery(s, "admin.$cmd", new BsonDocument("serverStatus", new BsonInt32(1)));
        org.junit.jupiter.api.Assertions.assertFalse(status.containsKey("host") || status.containsKey("pid"), "serverStatus before signing in: " + status.toJson());
      }
      java.lang.reflect.Field f = Database.class.getDeclaredField("embeddedBackend");
      f.setAccessible(true);
      java.lang.reflect.Field dbs = de.bwaldvogel.mongo.backend.AbstractMongoBackend.class.getDeclaredField("databases");
      dbs.setAccessible(true);
      int before = ((Map<?, ?>) dbs.get(f.get(h.app().database()))).size();
      try (Socket s = new Socket(a.getAddress(), a.getPort())) {
        s.setSoTimeout(5000);
        for (int i = 0; i < 200; i++) {
          BsonDocument r = opMsg(s, new BsonDocument("hello", new BsonInt32(1)).append("$db", new BsonString("junk" + i + "_" + "x".repeat(40))));
          r = opMsg(s, new BsonDocument("getlasterror", new BsonInt32(1)).append("$db", new BsonString("gle" + i)));
        }
      }
      Object backend = f.get(h.app().database());
      Map<?, ?> m = (Map<?, ?>) dbs.get(backend);
      org.junit.jupiter.api.Assertions.assertEquals(before, m.size(), "databases created before signing in: " + m.keySet());
      org.h2.mvstore.MVStore store = ((de.bwaldvogel.mongo.backend.h2.H2Backend) backend).getMvStore();
      org.junit.jupiter.api.Assertions.assertTrue(store.getMapNames().stream().noneMatch(n -> n.contains("junk") || n.contains("gle")),
        "maps created before signing in");
    }
  }
}
