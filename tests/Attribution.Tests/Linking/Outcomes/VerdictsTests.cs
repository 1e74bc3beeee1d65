using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Tests.Linking.Outcomes;

public sealed class VerdictsTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StillGood_OldEnoughNoBadTouch_StillGood() =>
        Verdicts.StillGood(T, [], T.AddDays(14)).Should().Be(StillGoodVerdict.StillGood);

    [Fact]
    public void StillGood_YoungerThanWindow_TooYoung() =>
        Verdicts.StillGood(T, [], T.AddDays(13.9)).Should().Be(StillGoodVerdict.TooYoung);

    [Fact]
    public void StillGood_YoungWithFixAlready_TooYoungNeverFalse() =>
        Verdicts.StillGood(T, [T.AddDays(1)], T.AddDays(2)).Should().Be(StillGoodVerdict.TooYoung);

    [Fact]
    public void StillGood_NoReferenceTime_TooYoung() =>
        Verdicts.StillGood(null, [T], T.AddDays(100)).Should().Be(StillGoodVerdict.TooYoung);

    [Fact]
    public void StillGood_FixInsideWindow_NotStillGood() =>
        Verdicts.StillGood(T, [T.AddDays(13)], T.AddDays(30)).Should().Be(StillGoodVerdict.NotStillGood);

    [Fact]
    public void StillGood_FixAtWindowStart_NotStillGood() =>
        Verdicts.StillGood(T, [T], T.AddDays(30)).Should().Be(StillGoodVerdict.NotStillGood);

    [Fact]
    public void StillGood_FixExactlyAtWindowEnd_StillGood() =>
        Verdicts.StillGood(T, [T.AddDays(14)], T.AddDays(30)).Should().Be(StillGoodVerdict.StillGood);

    [Fact]
    public void StillGood_FixBeforeReference_StillGood() =>
        Verdicts.StillGood(T, [T.AddDays(-1)], T.AddDays(30)).Should().Be(StillGoodVerdict.StillGood);

    [Fact]
    public void StillGood_OtherWindowLength_Honoured() =>
        Verdicts.StillGood(T, [T.AddDays(20)], T.AddDays(40), days: 30).Should().Be(StillGoodVerdict.NotStillGood);

    [Theory]
    [InlineData(StillGoodVerdict.StillGood, true)]
    [InlineData(StillGoodVerdict.NotStillGood, false)]
    [InlineData(StillGoodVerdict.TooYoung, null)]
    public void AsFlag_Verdict_JsonForm(StillGoodVerdict verdict, bool? expected) => Verdicts.AsFlag(verdict).Should().Be(expected);

    [Theory]
    [InlineData(true, "still good")]
    [InlineData(false, "not still good")]
    [InlineData(null, "too young to judge")]
    public void Phrase_Flag_Words(bool? flag, string expected) => Verdicts.Phrase(flag).Should().Be(expected);

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.49, false)]
    [InlineData(0.2, false)]
    public void Counts_Confidence_AtOrAboveThreshold(double confidence, bool expected) => Verdicts.Counts(confidence).Should().Be(expected);

    [Fact]
    public void DistinctTouches_SameShaTwice_OnceAsRevert()
    {
        var touches = Verdicts.DistinctTouches([Touch("r", "other", 2), Touch("r", "revert", 2), Touch("f", "fix", 1)]);

        touches.Select(t => (t.TouchSha, t.Classification)).Should().Equal(("f", "fix"), ("r", "revert"));
    }

    [Fact]
    public void PullRequestRuns_MergeCommitRan_MergeRunsJudge()
    {
        CiRunRow merge = new() { Provider = "github", RepoSlug = "acme/widgets", RunId = "1", Status = "failure", UpdatedTs = T };
        CiRunRow head = new() { Provider = "github", RepoSlug = "acme/widgets", RunId = "2", Status = "success", UpdatedTs = T };

        Verdicts.CiOutcome(Verdicts.PullRequestRuns([merge], [head])).Should().Be("failure");
        Verdicts.CiOutcome(Verdicts.PullRequestRuns([], [head])).Should().Be("success");
        Verdicts.CiOutcome(Verdicts.PullRequestRuns([], [])).Should().BeNull();
    }

    private static TouchRow Touch(string sha, string kind, double daysAfter) =>
        new() { TouchSha = sha, Classification = kind, TouchedTs = T.AddDays(daysAfter) };
}
