package io.careloop.bench;

import io.careloop.analytics.AnalyticsService;
import io.careloop.analytics.FactDocuments;
import io.careloop.analytics.ReportJson;
import io.careloop.analytics.ResponseFact;
import io.careloop.analytics.ResponseTimes;
import io.careloop.analytics.Rollup;
import io.careloop.audit.AuditLog;
import io.careloop.config.Settings;
import io.careloop.queue.BusinessHours;
import io.careloop.queue.SlaBookJson;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaService;
import io.careloop.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Dashboard speed over 100,000 answered cases on the embedded database: the facts the SLA event log produces for
 * them (one response, its clock start, one breach in ten) over 90 days are stored, the daily rollups rebuilt from
 * them, then the dashboard query (90 days, grouped by agent) is timed against computing the same figures by a full
 * scan of the raw facts, in the same run. Writes target/bench/analytics.txt.
 */
public final class AnalyticsBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Vertx vertx = Vertx.vertx();
    Path data = Files.createTempDirectory("careloop-analytics-bench");
    Settings s = Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"));
    Database db = Database.open(vertx, s).await();
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T18:00:00Z"), ZoneOffset.UTC);
    SlaService sla = new SlaService(db, new AuditLog(db.mongo(), clock), clock, "AcmeCloud");
    sla.load(SlaBookJson.configured(s.queue().sla())).await();
    BusinessHours hours = sla.book().hours();

    Random random = new Random(11);
    String[] agents = {"abe", "bo", "cy", "di", "ed", "fay", "gus", "hal"};
    String[] priorities = {"urgent", "high", "normal", "low"};
    String[] sources = {"mentions-1", "keyword-acme-cloud"};
    List<BulkOperation> facts = new ArrayList<>();
    Map<String, Map<String, Number>> daySums = new TreeMap<>();
    Instant end = clock.instant();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Instant start = end.minus(Duration.ofSeconds(random.nextInt(90 * 86_400)));
      long seconds = (long) Math.min(86_400, Math.exp(random.nextGaussian() * 1.2 + 6.5));
      String caseId = "c" + (1_000_000 + i);
      String priority = priorities[random.nextInt(4)];
      String source = sources[random.nextInt(2)];
      ResponseFact f = ResponseFact.of(caseId + "|first-response|fulfilled|0", caseId, "first-response", "AcmeCloud", source, priority,
        agents[random.nextInt(agents.length)], start, start.plusSeconds(seconds), start.plusSeconds(3600), seconds <= 3600, hours);
      facts.add(BulkOperation.createInsert(FactDocuments.toJson(f).put("counted", true)));
      facts.add(BulkOperation.createInsert(new JsonObject().put("_id", caseId + "|first-response|applied|0").put("kind", "applied")
        .put("caseId", caseId).put("day", Rollup.day(start)).put("newCase", true).put("at", new JsonObject().put("$date", start.toString()))
        .put("counted", true)));
      if (seconds > 3600) {
        facts.add(BulkOperation.createInsert(new JsonObject().put("_id", caseId + "|first-response|breached|0").put("kind", "breached")
          .put("caseId", caseId).put("day", Rollup.day(start.plusSeconds(3600))).put("brand", "AcmeCloud").put("priority", priority)
          .put("source", source).put("startedAt", new JsonObject().put("$date", start.toString())).put("counted", true)));
      }
      for (int k = facts.size() - (seconds > 3600 ? 3 : 2); k < facts.size(); k++) AnalyticsService.fold(daySums, facts.get(k).getDocument());
      if (facts.size() >= 5000) {
        db.mongo().bulkWrite(AnalyticsService.FACTS, facts).await();
        facts.clear();
      }
    }
    if (!facts.isEmpty()) db.mongo().bulkWrite(AnalyticsService.FACTS, facts).await();
    long stored = System.nanoTime();
    AnalyticsService analytics = new AnalyticsService(vertx, db, sla, new SlaEvents(db.mongo(), vertx.eventBus()), id -> Future.succeededFuture(null), clock, "bench");
    // The rollups as the live path leaves them (the sum of every fact per day); AnalyticsTest checks that a
    // rebuild from the stored facts gives the same figures.
    analytics.writeDays(daySums).await();
    long rebuilt = System.nanoTime();

    LocalDate to = LocalDate.ofInstant(end, ZoneOffset.UTC);
    LocalDate from = to.minusDays(89);
    long c0 = System.nanoTime();
    analytics.responseTimes(from, to, "agent", "first", false).await();
    double cold = (System.nanoTime() - c0) / 1e6;
    for (int i = 0; i < 5; i++) analytics.responseTimes(from, to, "agent", "first", false).await();
    long[] dash = new long[100];
    JsonObject viaRollups = null;
    for (int i = 0; i < dash.length; i++) {
      long q0 = System.nanoTime();
      viaRollups = analytics.responseTimes(from, to, "agent", "first", false).await();
      dash[i] = System.nanoTime() - q0;
    }
    long f0 = System.nanoTime();
    for (int i = 0; i < 20; i++) db.mongo().find(AnalyticsService.DAYS, new JsonObject().put("_id", new JsonObject().put("$gte", from.toString()))).await();
    System.out.printf("read of every rollup document of the range (all groupings and clocks): %.1f ms%n", (System.nanoTime() - f0) / 20 / 1e6);
    long[] scan = new long[10];
    JsonObject viaScan = null;
    for (int i = 0; i < scan.length; i++) {
      long q0 = System.nanoTime();
      viaScan = fullScan(db, from, to);
      scan[i] = System.nanoTime() - q0;
    }
    Arrays.sort(dash);
    Arrays.sort(scan);
    String report = String.format(
      "analytics cases=%d store=%.1f s write-rollups=%.1f s | dashboard 90 days by agent: first (cold) %.1f ms, then p50=%.1f ms p99=%.1f ms | full scan p50=%.0f ms p99=%.0f ms | speed-up p50=%.0fx%n"
        + "  same figures: replies %d vs %d, median %s vs %s s%n",
      n, (stored - t0) / 1e9, (rebuilt - stored) / 1e9, cold, ms(dash, 0.5), ms(dash, 0.99), ms(scan, 0.5), ms(scan, 0.99), ms(scan, 0.5) / ms(dash, 0.5),
      viaRollups.getJsonObject("totals").getLong("replies"), viaScan.getLong("replies"),
      viaRollups.getJsonObject("totals").getLong("medianSeconds"), viaScan.getLong("medianSeconds"));
    BenchResults.publish("analytics.txt", report);
    db.close().await();
    vertx.close().await();
    System.exit(0);
  }

  /** The baseline: read every response of the range and compute totals and per-agent figures from the raw values. */
  static JsonObject fullScan(Database db, LocalDate from, LocalDate to) {
    List<JsonObject> rows = db.mongo().findWithOptions(AnalyticsService.FACTS, new JsonObject().put("kind", "fulfilled")
        .put("day", new JsonObject().put("$gte", from.toString()).put("$lte", to.toString())),
      new FindOptions().setFields(new JsonObject().put("seconds", 1).put("met", 1).put("agent", 1))).await();
    ResponseTimes all = new ResponseTimes();
    Map<String, ResponseTimes> byAgent = new TreeMap<>();
    for (JsonObject r : rows) {
      all.add(r.getLong("seconds"), r.getBoolean("met"));
      byAgent.computeIfAbsent(r.getString("agent"), a -> new ResponseTimes()).add(r.getLong("seconds"), r.getBoolean("met"));
    }
    return ReportJson.summary(all.summary()).put("groups", byAgent.size());
  }

  static JsonArray pairs(JsonObject inc) {
    JsonArray out = new JsonArray();
    inc.forEach(e -> out.add(new JsonArray().add(e.getKey()).add(e.getValue())));
    return out;
  }

  static double ms(long[] sorted, double q) { return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6; }
}
