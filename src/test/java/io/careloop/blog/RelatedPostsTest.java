package io.careloop.blog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelatedPostsTest {
  static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  @Test
  void closestFirstAboveTheFloorNeverItselfAtMostN() {
    float[] self = unit(0);
    var all = List.of(new RelatedPosts.Candidate("self", self), new RelatedPosts.Candidate("near", unit(0.3)),
      new RelatedPosts.Candidate("nearer", unit(0.1)), new RelatedPosts.Candidate("far", unit(Math.acos(RelatedPosts.FLOOR) + 0.01)),
      new RelatedPosts.Candidate("unembedded", null), new RelatedPosts.Candidate("edge", unit(0.5)), new RelatedPosts.Candidate("other-model", new float[] {1, 0, 0}));
    assertEquals(List.of("nearer", "near"), RelatedPosts.pick(self, "self", all, 2));
    assertEquals(List.of("nearer", "near", "edge"), RelatedPosts.pick(self, "self", all, 5));
    assertEquals(List.of(), RelatedPosts.pick(null, "self", all, 3), "a post without a vector offers nothing");
  }
}
