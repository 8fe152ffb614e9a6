package io.careloop.web;

import io.careloop.accounts.LoginThrottle;
import io.careloop.accounts.UserService;
import io.careloop.analytics.AnalyticsService;
import io.careloop.audit.AuditLog;
import io.careloop.blog.BlogService;
import io.careloop.brands.BrandService;
import io.careloop.brands.PostingAccounts;
import io.careloop.blog.CycleEffect;
import io.careloop.cycle.ClusterService;
import io.careloop.kb.KbService;
import io.careloop.links.TrackedLinks;
import io.careloop.listening.Listening;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.queue.Presence;
import io.careloop.queue.QueueService;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaService;
import io.careloop.reply.CannedResponses;
import io.careloop.reply.ReplyService;
import io.careloop.scaleout.ClusterStatus;
import io.careloop.store.Database;

/** The feature services the HTTP layer calls: one bundle, so adding a feature does not ripple through signatures. */
public record Services(Database database, UserService users, QueueService queue, ReplyService replies,
                       MongoSourceRepository sources, SlaService sla, SlaEvents slaEvents, AuditLog audit,
                       Presence presence, CannedResponses canned, KbService kb, LoginThrottle throttle,
                       Listening listening, long monthlyReadCap, ClusterService clusters, BlogService blog,
                       CycleEffect effect, TrackedLinks links, AnalyticsService analytics,
                       BrandService brands, PostingAccounts accounts, ClusterStatus cluster) {}
