using Attribution.Api;
using Attribution.Store;

namespace Attribution.Tests.Surfaces;

public sealed class DownstreamRulesTests
{
    private static readonly DateTimeOffset Committed = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static TouchRow Touch(string sha, string kind, double daysAfter) =>
        new() { TouchSha = sha, Classification = kind, TouchedTs = Committed.AddDays(daysAfter) };

    [Fact]
    public void StillGood_OldEnoughWithOnlyOtherTouches_IsTrue()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "other", 1)], Committed.AddDays(20)).Should().BeTrue();
    }

    [Fact]
    public void StillGood_FixWithinWindow_IsFalseEvenWhenYoung()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "fix", 1)], Committed.AddDays(2)).Should().BeFalse();
    }

    [Fact]
    public void StillGood_RevertAfterWindow_IsTrue()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "revert", 15)], Committed.AddDays(20)).Should().BeTrue();
    }

    [Fact]
    public void StillGood_YoungWithoutBadTouch_IsNull()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "other", 1)], Committed.AddDays(13.9)).Should().BeNull();
    }

    [Fact]
    public void StillGood_UnknownTime_IsNull()
    {
        DownstreamRules.StillGood(null, [], Committed).Should().BeNull();
    }

    [Fact]
    public void Summarise_SameShaTwice_CountsOnceAsRevert()
    {
        var summary = DownstreamRules.Summarise(Committed, [Touch("r", "other", 2), Touch("r", "revert", 2), Touch("f", "fix", 1)], Committed.AddDays(30));

        summary.Should().Be(new DownstreamDocument(2, 1, 1, "r", Committed.AddDays(2), 14, false));
    }
}
