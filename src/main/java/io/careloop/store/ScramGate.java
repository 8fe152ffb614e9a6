package io.careloop.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) in front of the embedded MongoDB server, which has no authentication of its own.
 *
 * <p>Without it, any local process could connect to the embedded server's loopback port, read the users' password
 * hashes and make itself admin (an outside penetration test did). A Unix domain socket would need the MongoDB driver
 * to reach one, and the reactive-streams driver under vertx-mongo-client cannot; SCRAM is what a real MongoDB uses,
 * the driver speaks it, and it never sends the password (an eavesdropper on the connection cannot replay it, but can
 * try to guess a weak password offline from a captured exchange, and reads the unencrypted data itself). Each connection must finish the handshake before any command but the hand-shake ones
 * ({@code isMaster}, {@code saslStart}, …); everything else is refused with MongoDB's own code 13 {@code Unauthorized}.
 *
 * <p>There is one user. The salted password is derived once at start (PBKDF2 with MongoDB's default of 15,000
 * iterations), so a connection costs a few HMACs, not a key derivation.
 */
final class ScramGate implements MongoBackend {
  static final String MECHANISM = "SCRAM-SHA-256";
  static final int ITERATIONS = 15_000;
  private static final int UNAUTHORIZED = 13;
  private static final int AUTHENTICATION_FAILED = 18;

  /**
   * What the backend may answer before a client has signed in: the handshake commands it answers itself, without
   * opening a database (any other command, even a harmless one, would create the database named in {@code $db}, and
   * that stays on disk). The driver's {@code getlasterror} before signing in is answered here, never by the backend;
   * {@code hello} is not supported by mongo-java-server, so the driver uses {@code isMaster}.
   */
  private static final Set<String> OPEN = Set.of("ismaster", "buildinfo", "ping");

  private final MongoBackend backend;
  private final String user;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;
  private final SecureRandom random = new SecureRandom();
  private final Set<Channel> signedIn = ConcurrentHashMap.newKeySet();
  private final Map<Channel, Conversation> conversations = new ConcurrentHashMap<>();

  private record Conversation(String clientFirstBare, String serverFirst, String nonce) {}

  ScramGate(MongoBackend backend, String user, String password) {
    this.backend = backend;
    this.user = user;
    this.salt = new byte[16];
    random.nextBytes(salt);
    byte[] salted = saltedPassword(password, salt);
    this.storedKey = sha256(hmac(salted, "Client Key"));
    this.serverKey = hmac(salted, "Server Key");
  }

  // --- the gate ---------------------------------------------------------------------------------------------------

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    if (command.equals("saslStart")) return saslStart(channel, query);
    if (command.equals("saslContinue")) return saslContinue(channel, query);
    if (command.equalsIgnoreCase("getlasterror") && !signedIn.contains(channel)) return noLastError();
    requireSignedIn(channel, command);
    return backend.handleCommand(channel, database, command, query);
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    Document doc = message.getDocument();
    String command = doc.keySet().iterator().next();
    if (command.equals("saslStart")) return saslStart(message.getChannel(), doc);
    if (command.equals("saslContinue")) return saslContinue(message.getChannel(), doc);
    if (command.equalsIgnoreCase("getlasterror") && !signedIn.contains(message.getChannel())) return noLastError();
    requireSignedIn(message.getChannel(), command);
    return backend.handleMessage(message);
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    requireSignedIn(query.getChannel(), "query");
    return backend.handleQuery(query);
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    requireSignedIn(query.getChannel(), "currentOp");
    return backend.getCurrentOperations(query);
  }

  @Override
  public void handleClose(Channel channel) {
    signedIn.remove(channel);
    conversations.remove(channel);
    backend.handleClose(channel);
  }

  private void requireSignedIn(Channel channel, String command) {
    if (signedIn.contains(channel) || OPEN.contains(command.toLowerCase(java.util.Locale.ROOT))) return;
    throw new MongoServerError(UNAUTHORIZED, "Unauthorized", "command " + command + " requires authentication");
  }

  /** Before signing in, the driver asks for its connection's last error: there is none, and no database is opened. */
  private static Document noLastError() {
    Document d = new Document();
    d.put("n", 0);
    d.put("err", null);
    d.put("ok", 1.0);
    return d;
  }

  // --- SCRAM-SHA-256, server side -------------------------------------------------------------------------------

  private Document saslStart(Channel channel, Document query) {
    if (!MECHANISM.equals(query.get("mechanism"))) {
      throw new MongoServerError(2, "BadValue", "only " + MECHANISM + " is supported");
    }
    String clientFirst = utf8(payload(query));
    // gs2 header "n,," (no channel binding, no authzid), then n=<user>,r=<client nonce>
    if (!clientFirst.startsWith("n,,")) throw failed();
    String bare = clientFirst.substring(3);
    Map<String, String> attrs = attributes(bare);
    String name = attrs.get("n");
    String clientNonce = attrs.get("r");
    if (name == null || clientNonce == null || clientNonce.isEmpty()) throw failed();
    byte[] mine = new byte[24];
    random.nextBytes(mine);
    String nonce = clientNonce + Base64.getEncoder().encodeToString(mine);
    String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
    // A wrong user name fails at the proof, as a wrong password does, so neither is told apart.
    conversations.put(channel, new Conversation(name.equals(saslName(user)) ? bare : null, serverFirst, nonce));
    return reply(1, false, serverFirst);
  }

  private Document saslContinue(Channel channel, Document query) {
    Conversation c = conversations.remove(channel);
    if (c == null) {
      // The driver's final empty round after a finished exchange.
      if (signedIn.contains(channel)) return reply(1, true, "");
      throw failed();
    }
    String clientFinal = utf8(payload(query));
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0 || c.clientFirstBare() == null) throw failed();
    String withoutProof = clientFinal.substring(0, proofAt);
    Map<String, String> attrs = attributes(withoutProof);
    // "biws" is base64 of the gs2 header "n,,": no channel binding, as the client said in its first message.
    if (!"biws".equals(attrs.get("c")) || !c.nonce().equals(attrs.get("r"))) throw failed();
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      throw failed();
    }
    String authMessage = c.clientFirstBare() + "," + c.serverFirst() + "," + withoutProof;
    byte[] clientSignature = hmac(storedKey, authMessage);
    if (proof.length != clientSignature.length) throw failed();
    byte[] clientKey = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) throw failed();
    signedIn.add(channel);
    String serverFinal = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
    return reply(1, true, serverFinal);
  }

  private static Document reply(int conversationId, boolean done, String payload) {
    Document d = new Document();
    d.put("conversationId", conversationId);
    d.put("done", done);
    d.put("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8)));
    d.put("ok", 1.0);
    return d;
  }

  private static MongoServerError failed() {
    return new MongoServerError(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
  }

  private static byte[] payload(Document query) {
    Object p = query.get("payload");
    if (p instanceof BinData b) return b.getData();
    if (p instanceof byte[] b) return b;
    if (p instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    throw failed();
  }

  private static Map<String, String> attributes(String message) {
    Map<String, String> attrs = new java.util.HashMap<>();
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(1) == '=') attrs.putIfAbsent(part.substring(0, 1), part.substring(2));
    }
    return attrs;
  }

  /** RFC 5802: "," and "=" in a user name are sent as "=2C" and "=3D". */
  private static String saslName(String name) {
    return name.replace("=", "=3D").replace(",", "=2C");
  }

  private static String utf8(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }

  private static byte[] saltedPassword(String password, byte[] salt) {
    try {
      // The password is random ASCII, which SASLprep leaves as it is.
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from this JVM", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  // --- everything else is the backend's ---------------------------------------------------------------------------

  @Override public void dropDatabase(String database) { backend.dropDatabase(database); }
  /**
   * Asked by the wire handler itself for a legacy {@code serverStatus}, with no connection to check: host, pid and
   * version are nobody's business before signing in, and CareLoop never asks for them.
   */
  @Override public Document getServerStatus() {
    Document d = new Document();
    d.put("ok", 1.0);
    return d;
  }
  @Override public void close() { backend.close(); }
  @Override public void closeCursors(List<Long> cursorIds) { backend.closeCursors(cursorIds); }
  @Override public Clock getClock() { return backend.getClock(); }
  @Override public void enableOplog() { backend.enableOplog(); }
  @Override public void disableOplog() { backend.disableOplog(); }
  @Override public MongoDatabase resolveDatabase(String database) { return backend.resolveDatabase(database); }

  @Override
  public MongoBackend version(MongoVersion version) {
    backend.version(version);
    return this;
  }
}
