package io.careloop.it;

import io.careloop.reply.MongoReplyRepository;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.queue.MongoCaseRepository;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.careloop.scaleout.Leases;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several {@code careloop.jar} processes as one Vert.x cluster (Hazelcast over loopback) on one MongoDB (a wire-protocol
 * server owned by the test, standing in for the replica set), all reading one X stand-in. The node polling the
 * brand's mentions is killed with {@code kill -9}, or frozen with SIGSTOP past its lease and then resumed.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Scale-out: CareLoop nodes as a cluster on one MongoDB")
class ClusterIT {
  private static final String LEASE = "source:mentions-" + Harness.BRAND_ID;
  private static final Pattern OPENED = Pattern.compile("event: case\\ndata: \\{\"id\":\"c(\\d+)\",\"reason\":\"opened\"\\}");

  private MongoServer mongoServer;
  private String mongoUri;
  private MongoClient db;
  private XStandIn standIn;
  private final List<CareLoopProcess> nodes = new ArrayList<>();

  @BeforeEach
  void shared(Vertx vertx) {
    mongoServer = new MongoServer(new MemoryBackend());
    mongoServer.bind("127.0.0.1", 0);
    mongoUri = "mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort();
    db = MongoClient.create(vertx, new JsonObject().put("connection_string", mongoUri).put("db_name", "careloop"));
    standIn = new XStandIn(vertx, Clock.systemUTC(), Harness.BRAND_ID, "AcmeCloud", "Acme Cloud");
  }

  @AfterEach
  void stopAll() throws Exception {
    for (CareLoopProcess n : nodes) {
      if (n.process != null && n.process.isAlive()) {
        n.signal("CONT");
        n.kill();
      }
    }
    db.close().await();
    mongoServer.shutdownNow();
  }

  /** Starts {@code count} clustered nodes side by side and waits until each is ready and sees all the others. */
  private void startCluster(Vertx vertx, Path dir, int count) throws Exception {
    String xBase = standIn.start(0).await();
    List<Integer> hazelcastPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) hazelcastPorts.add(CareLoopProcess.freePort());
    String members = String.join(",", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    for (int i = 0; i < count; i++) {
      Map<String, String> env = new HashMap<>(Map.of("CARELOOP_MONGO_URI", mongoUri, "CARELOOP_X_BASE_URL", xBase,
        "CARELOOP_X_BEARER_TOKEN", "b", "CARELOOP_X_CONSUMER_KEY", "ck", "CARELOOP_X_CONSUMER_SECRET", "cs",
        "CARELOOP_X_ACCESS_TOKEN", "at", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ats", "CARELOOP_BRAND_KEYWORDS", "",
        "CARELOOP_X_MONTHLY_READ_CAP", "1000000"));
      env.putAll(Map.of("CARELOOP_CLUSTER", "true", "CARELOOP_CLUSTER_HOST", "127.0.0.1",
        "CARELOOP_CLUSTER_PORT", String.valueOf(hazelcastPorts.get(i)), "CARELOOP_CLUSTER_MEMBERS", members,
        "CARELOOP_NODE_ID", "node-" + i));
      CareLoopProcess node = new CareLoopProcess(dir.resolve("node-" + i), env);
      node.jvmArgs.add("-Xmx384m");
      nodes.add(node);
    }
    for (CareLoopProcess n : nodes) n.launch();
    for (CareLoopProcess n : nodes) n.waitReady(Duration.ofSeconds(90));
    for (CareLoopProcess n : nodes) {
      eventually("node on :" + n.port + " sees " + count + " cluster members", Duration.ofSeconds(30),
        () -> clusterStatus(vertx, n).getJsonObject("eventBus", new JsonObject()).getInteger("members", 0) == count);
    }
  }

  private static JsonObject clusterStatus(Vertx vertx, CareLoopProcess node) {
    try {
      var response = io.vertx.ext.web.client.WebClient.create(vertx).get(node.port, "127.0.0.1", "/health/cluster").send().await();
      return response.statusCode() == 200 ? response.bodyAsJsonObject() : new JsonObject();
    } catch (Exception notAnswering) {
      return new JsonObject();
    }
  }

  /** A new user with this role, created by the admin, signed in on this node. */
  private static Agent signedIn(Vertx vertx, CareLoopProcess node, String name, String role) {
    Agent.login(vertx, node.port, "admin", Harness.ADMIN_PASSWORD).post("/api/users", new JsonObject().put("username", name)
      .put("password", name + "-long-password").put("roles", new JsonArray().add(role))).expect(201);
    return Agent.login(vertx, node.port, name, name + "-long-password");
  }

  private JsonObject lease() {
    return db.findOne(Leases.COLLECTION, new JsonObject().put("_id", LEASE), null).await();
  }

  /** The node whose id holds the lease now (its expiry in the future), or null. */
  private CareLoopProcess holder() {
    JsonObject l = lease();
    if (l == null || java.time.Instant.parse(l.getJsonObject("expiresAt").getString("$date")).isBefore(java.time.Instant.now())) return null;
    return nodes.get(Integer.parseInt(l.getString("holder").substring("node-".length())));
  }

  private long count(String collection, JsonObject query) {
    return db.count(collection, query).await();
  }

  private String checkpoint() {
    return db.findOne(MongoSourceRepository.SOURCES, new JsonObject().put("_id", "mentions-" + Harness.BRAND_ID), null).await().getString("sinceId");
  }

  /** A console's live-update stream on one node: the cases it was told were opened. */
  private static final class Console {
    final Set<String> opened = ConcurrentHashMap.newKeySet();
    final StringBuilder stream = new StringBuilder();

    Console(Vertx vertx, CareLoopProcess node) {
      Agent admin = Agent.login(vertx, node.port, "admin", Harness.ADMIN_PASSWORD);
      HttpClient http = vertx.createHttpClient();
      var response = http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(node.port).setHost("127.0.0.1")
        .setURI("/api/events").putHeader("Cookie", admin.cookie())).compose(r -> r.send()).await();
      assertEquals(200, response.statusCode());
      response.handler(chunk -> {
        synchronized (stream) {
          stream.append(chunk.toString());
          Matcher m = OPENED.matcher(stream);
          while (m.find()) opened.add(m.group(1));
        }
      });
    }
  }

  @Test
  @DisplayName("kill -9 of the polling node: another takes over within 10 s, every mention is ingested exactly once, consoles on the survivors keep receiving updates")
  void pollingNodeKilled(Vertx vertx, @TempDir Path dir) throws Exception {
    startCluster(vertx, dir, 3);
    StandInTimeline t = standIn.timeline();
    for (int i = 0; i < 20; i++) t.account(String.valueOf(700 + i), "cluster" + i, "Cluster " + i, 50 + i);
    List<String> published = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> afterKill = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean killed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    Thread customers = new Thread(() -> {
      int n = 0;
      while (!stop.get()) {
        String id = String.valueOf(t.publish(String.valueOf(700 + n % 20), "@AcmeCloud cluster question " + n++ + "?", null, null).id());
        published.add(id);
        if (killed.get()) afterKill.add(id);
        // Pacing: a steady stream of customers, on the wall clock.
        io.careloop.support.Eventually.sleep(Duration.ofMillis(150));
      }
    }, "customers");
    customers.start();

    eventually("one node holds the mentions lease", Duration.ofSeconds(20), () -> holder() != null);
    CareLoopProcess polling = holder();
    long tokenBefore = lease().getLong("token");
    List<CareLoopProcess> survivors = nodes.stream().filter(n -> n != polling).toList();
    List<Console> consoles = survivors.stream().map(n -> new Console(vertx, n)).toList();
    // Neither survivor polls: a case it announces was opened on the polling node and reached it over the cluster.
    eventually("consoles on both other nodes hear of cases opened by the polling node", Duration.ofSeconds(20),
      () -> consoles.stream().allMatch(c -> c.opened.size() >= 3));

    long killedAt = System.nanoTime();
    polling.kill();
    killed.set(true);
    eventually("a surviving node holds the lease", Duration.ofSeconds(15), () -> {
      CareLoopProcess now = holder();
      return now != null && now != polling;
    });
    double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
    JsonObject after = lease();
    assertTrue(after.getLong("token") > tokenBefore, "a new holder gets a higher fencing token: " + after);
    assertTrue(takeoverSeconds <= 10, "taken over in " + takeoverSeconds + " s");
    eventually("the first mention published after the kill is in a case", Duration.ofSeconds(15),
      () -> !afterKill.isEmpty() && count(MongoCaseRepository.CASES, new JsonObject().put("_id", "c" + afterKill.get(0))) == 1);
    double firstCaseSeconds = (System.nanoTime() - killedAt) / 1e9;

    // Customers keep writing for four more seconds after the takeover: what they write then must not be lost either.
    io.careloop.support.Eventually.sleep(Duration.ofSeconds(4));
    stop.set(true);
    customers.join();
    List<String> all = List.copyOf(published);
    eventually("every published mention is stored", Duration.ofSeconds(30),
      () -> count(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(all)))) == all.size());
    eventually("every published mention opened its case", Duration.ofSeconds(30),
      () -> count(MongoCaseRepository.CASES, new JsonObject()) == all.size());
    // Exactly once: one mention document and one case per post, each case holding its post once.
    assertEquals(all.size(), count(MongoCaseRepository.MENTIONS, new JsonObject()));
    for (JsonObject c : db.find(MongoCaseRepository.CASES, new JsonObject()).await()) {
      List<String> ids = c.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("tweetId")).toList();
      assertEquals(Set.copyOf(ids).size(), ids.size(), "a post twice in case " + c.getString("_id"));
    }
    List<String> late = List.copyOf(afterKill);
    for (Console console : consoles) {
      eventually("a surviving console was told of every case opened after the kill", Duration.ofSeconds(15),
        () -> console.opened.containsAll(late));
    }
    System.out.printf("cluster: %d mentions, polling node killed, lease taken over in %.1f s, first new case %.1f s after the kill, %d cases after it announced on both surviving consoles%n",
      all.size(), takeoverSeconds, firstCaseSeconds, late.size());
  }

  @Test
  @DisplayName("a polling node frozen past its lease and resumed cannot write its stale checkpoint: fencing refuses it")
  void frozenNodeIsFenced(Vertx vertx, @TempDir Path dir) throws Exception {
    startCluster(vertx, dir, 2);
    StandInTimeline t = standIn.timeline();
    t.account("801", "frozen_fran", "Fran", 10);
    eventually("one node holds the mentions lease", Duration.ofSeconds(20), () -> holder() != null);
    CareLoopProcess frozen = holder();
    CareLoopProcess other = nodes.stream().filter(n -> n != frozen).findFirst().orElseThrow();
    long frozenToken = lease().getLong("token");

    String m1 = String.valueOf(t.publish("801", "@AcmeCloud first question?", null, null).id());
    eventually("m1 ingested and checkpointed by the polling node", Duration.ofSeconds(15), () -> m1.equals(checkpoint()));

    // The polling node's next read of X hangs 4 s at X; once it is under way the node is frozen, and the answer
    // (which will hold m2) waits in its socket.
    standIn.inject(new Fault(Fault.Kind.SLOW, 1, "/2/users", 4_000));
    eventually("the polling node's read reached X", Duration.ofSeconds(10), () -> standIn.pendingFaults() == 0);
    frozen.signal("STOP");
    String m2 = String.valueOf(t.publish("801", "@AcmeCloud second question?", null, null).id());

    eventually("the other node takes the lease once it expires", Duration.ofSeconds(15), () -> holder() == other);
    long newToken = lease().getLong("token");
    assertTrue(newToken > frozenToken);
    eventually("the new holder ingests m2", Duration.ofSeconds(15), () -> m2.equals(checkpoint()));
    String m3 = String.valueOf(t.publish("801", "@AcmeCloud third question?", null, null).id());
    eventually("the new holder ingests m3", Duration.ofSeconds(15), () -> m3.equals(checkpoint()));

    frozen.signal("CONT");
    // The resumed node gets X's answer (m2 is its newest post) and tries to move the checkpoint under its old token.
    eventually("the resumed node's checkpoint write was refused by the fence", Duration.ofSeconds(20),
      () -> clusterStatus(vertx, frozen).getLong("fencedWrites", 0L) >= 1);
    String metrics = io.vertx.ext.web.client.WebClient.create(vertx).get(frozen.port, "127.0.0.1", "/metrics").send().await().bodyAsString();
    assertTrue(metrics.contains("careloop_lease_fenced_writes_total 1.0"), "the refusal is in the metrics too");
    assertEquals(m3, checkpoint(), "the checkpoint stays where the new holder put it");
    JsonObject source = db.findOne(MongoSourceRepository.SOURCES, new JsonObject().put("_id", "mentions-" + Harness.BRAND_ID), null).await();
    assertEquals(newToken, source.getLong("fence"), "the source remembers the newest token");
    // Out of process, a lease is checked every second: three seconds in which the resumed node could try and must not win.
    io.careloop.support.Eventually.sleep(Duration.ofSeconds(3));
    assertEquals(other, holder(), "the resumed node does not take the lease back");
    assertEquals(3, count(MongoCaseRepository.MENTIONS, new JsonObject()), "m2, read by both nodes, is stored once");
    assertEquals(3, count(MongoCaseRepository.CASES, new JsonObject()));
    assertNotEquals(0, count(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", m2)));
    String log = java.nio.file.Files.readString(frozen.log);
    assertTrue(log.contains("no longer polls"), "the resumed node says why it stopped polling");
  }

  @Test
  @DisplayName("work done once across nodes: an article written on one node is found on the other, answers given on both join one question cluster, promotions on both make one draft, agents see each other")
  void workSharedAcrossNodes(Vertx vertx, @TempDir Path dir) throws Exception {
    startCluster(vertx, dir, 2);
    CareLoopProcess a = nodes.get(0);
    CareLoopProcess b = nodes.get(1);
    Agent onA = signedIn(vertx, a, "cora", "community");
    Agent onB = signedIn(vertx, b, "ben", "community");

    String kb = onA.post("/api/kb/articles", new JsonObject().put("title", "Reset your password").put("question", "How do I reset my password?")
      .put("steps", new JsonArray().add("Open Settings.").add("Choose Reset password.")).put("status", "published")).expect(201).json().getString("id");
    eventually("node B's search index has the article written on node A", Duration.ofSeconds(10),
      () -> onB.get("/api/kb/articles?q=reset%20password").json().getJsonArray("items").stream().anyMatch(i -> kb.equals(((JsonObject) i).getString("id"))));

    StandInTimeline t = standIn.timeline();
    t.account("901", "pat", "Pat", 10);
    t.account("902", "sam", "Sam", 10);
    String first = "c" + t.publish("901", "@AcmeCloud how do I reset my password?", null, null).id();
    String second = "c" + t.publish("902", "@AcmeCloud how can I reset my password please", null, null).id();
    eventually("both cases open", Duration.ofSeconds(15), () -> count(MongoCaseRepository.CASES, new JsonObject()) == 2);

    onA.post("/api/cases/" + first + "/viewing", null).expect(200);
    eventually("an agent on node B sees that one on node A has the case open", Duration.ofSeconds(10),
      () -> onB.post("/api/cases/" + first + "/viewing", null).json().getJsonArray("viewers").getList().containsAll(List.of("cora", "ben")));
    assertEquals("posted", onA.post("/api/cases/" + first + "/reply", new JsonObject().put("text", "@pat here is how: 1").put("kbArticleId", kb))
      .expect(201).json().getString("state"));
    assertEquals("posted", onB.post("/api/cases/" + second + "/reply", new JsonObject().put("text", "@sam here is how: 2").put("kbArticleId", kb))
      .expect(201).json().getString("state"));
    eventually("one question cluster holds both answers, whichever node gave them", Duration.ofSeconds(45), () -> {
      JsonArray items = onB.get("/api/clusters?days=7").json().getJsonArray("items");
      return items.size() == 1 && items.getJsonObject(0).getInteger("size") == 2;
    });
    String cluster = onA.get("/api/clusters?days=7").json().getJsonArray("items").getJsonObject(0).getString("id");

    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    var viaA = pool.submit(() -> onA.post("/api/clusters/" + cluster + "/promote", null).expect(201).json().getString("id"));
    var viaB = pool.submit(() -> onB.post("/api/clusters/" + cluster + "/promote", null).expect(201).json().getString("id"));
    assertEquals(viaA.get(), viaB.get(), "promoted on both nodes at once: one draft");
    pool.shutdown();
    assertEquals(1, count("blog_posts", new JsonObject()));
  }

  @Test
  @DisplayName("a reply in flight when its node is killed is finished by a survivor once its claim runs out: adopted from X, not posted twice")
  void replyInFlightWhenItsNodeDies(Vertx vertx, @TempDir Path dir) throws Exception {
    startCluster(vertx, dir, 2);
    CareLoopProcess dying = nodes.get(0);
    StandInTimeline t = standIn.timeline();
    t.account("911", "quin", "Quin", 10);
    String caseId = "c" + t.publish("911", "@AcmeCloud my sync is stuck", null, null).id();
    eventually("the case is open", Duration.ofSeconds(15), () -> count(MongoCaseRepository.CASES, new JsonObject().put("_id", caseId)) == 1);

    Agent abe = signedIn(vertx, dying, "abe", "agent");
    abe.post("/api/cases/" + caseId + "/claim", null).expect(200);
    // X takes 20 s over the post (it is created then, whoever still waits for the answer); the node dies meanwhile.
    standIn.inject(new Fault(Fault.Kind.SLOW, 1, "/2/tweets", 20_000));
    String text = "@quin a fix for stuck syncs is rolling out now";
    Thread replying = new Thread(() -> {
      try {
        abe.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", text));
      } catch (RuntimeException connectionLost) {
        // the node is killed under the request
      }
    }, "replying");
    replying.start();
    eventually("the post reached X", Duration.ofSeconds(15), () -> standIn.pendingFaults() == 0);
    JsonObject intent = db.findOne(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", caseId), null).await();
    assertEquals("posting", intent.getString("state"));
    assertEquals("node-0", intent.getString("node"));
    dying.kill();

    eventually("the survivor finished the reply", Duration.ofSeconds(90),
      () -> "posted".equals(db.findOne(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", caseId), null).await().getString("state")));
    JsonObject reply = db.findOne(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", caseId), null).await();
    assertEquals("node-1", reply.getString("node"), "taken over by the surviving node");
    assertEquals(2, reply.getInteger("attempts"), "one attempt each");
    long onX = t.all().stream().filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.text().equals(text)).count();
    assertEquals(1, onX, "on X once: the survivor found the dead node's post and adopted it");
    assertEquals(String.valueOf(t.all().stream().filter(p -> p.text().equals(text)).findFirst().orElseThrow().id()), reply.getString("xTweetId"));
    replying.join(5_000);
  }
}
