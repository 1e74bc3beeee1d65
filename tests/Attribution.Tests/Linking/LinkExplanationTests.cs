using Attribution.Linking;

namespace Attribution.Tests.Linking;

/// <summary>Evidence sentences per rule, from evidence shaped as the attribution pass writes it.</summary>
public sealed class LinkExplanationTests
{
    [Fact]
    public void CommitOutput_NamesTheCommandAndItsOutput()
    {
        const string json = """{"method":"commit-output","rule":"commit-output","raw":1.0,"authored":{"method":"commit-output","shortSha":"e8811ad","command":"git commit -m \"Add retry\"","output":"[main e8811ad] Add retry\n 1 file changed","eventTs":"2026-11-01T10:00:00Z"}}""";

        LinkExplanation.ForCommitLink("authored", json).Should().Equal(
            "The session's own `git commit -m \"Add retry\"` printed this commit (e8811ad): `[main e8811ad] Add retry`.");
    }

    [Fact]
    public void Rewritten_SaysItIsACopy()
    {
        const string json = """{"rule":"commit-output-rewritten","authored":{"method":"commit-output-rewritten","shortSha":"abc1234","printedSubject":"Fix parser","printedSha":"abc1234def"}}""";

        LinkExplanation.ForCommitLink("authored", json).Single().Should().Contain("“Fix parser” (abc1234)").And.Contain("rewritten copy");
    }

    [Fact]
    public void Squashed_NamesTheListedSubject()
    {
        const string json = """{"rule":"commit-output-squashed","authored":{"method":"commit-output-squashed","shortSha":"1234567","printedSubject":"Add cache"}}""";

        LinkExplanation.ForCommitLink("authored", json).Single().Should().Be("This squash commit lists “Add cache”, a commit the session printed (1234567).");
    }

    [Theory]
    [InlineData("session-trailer", """{"method":"session-trailer","trailer":"Claude-Session: https://claude.ai/code/session_01abc"}""", "trailer naming this session: `Claude-Session: https://claude.ai/code/session_01abc`")]
    [InlineData("signed-trailer", """{"method":"signed-trailer","trailer":"Agents-Attribution: v1.x","verification":"verified"}""", "signed attribution trailer naming this session (signature verified)")]
    public void Trailers_QuoteTheTrailer(string rule, string authored, string expected)
    {
        var json = $$"""{"rule":"{{rule}}","authored":{{authored}}}""";

        LinkExplanation.ForCommitLink("authored", json).Single().Should().Contain(expected);
    }

    [Fact]
    public void Recorded_Entire_NamesCheckpointFilesAndTheRubric()
    {
        const string json = """{"method":"recorded","source":"entire","checkpoint":"a1b2c3","via":"trailer","files":["src/a.cs","src/b.cs"],"recorded":{},"rubric":{"linkType":"inferred-by-touch","confidence":0.62,"evidence":{}}}""";

        LinkExplanation.ForCommitLink("recorded", json).Should().Equal(
            "An Entire checkpoint (`a1b2c3`) recorded this session as the commit's author at the source.",
            "Files it names that the commit changed: `src/a.cs`, `src/b.cs`.",
            "The rubric alone would have linked it as inferred-by-touch (0.62).");
    }

    [Fact]
    public void Recorded_GitAi_NamesTheNote()
    {
        LinkExplanation.ForCommitLink("recorded", """{"method":"recorded","source":"git-ai","files":[]}""")[0].Should().StartWith("A git-ai authorship note");
    }

    [Fact]
    public void CoAuthored_WithTie_NamesAgentWindowEditsAndCompetition()
    {
        const string json = """{"method":"co-authored","rule":"co-author-trailer-and-tie","raw":0.8,"coAuthored":{"agent":"codex","model":"gpt-5-codex","activeFrom":"2026-11-01T09:00:00Z","activeUntil":"2026-11-01T11:30:00Z","competingSessions":["s2"],"editedCommitFiles":true,"pushedTip":false}}""";

        LinkExplanation.ForCommitLink("co-authored", json).Should().Equal(
            "The commit names the agent codex (gpt-5-codex) and was written while this session was active (2026-11-01 09:00 UTC to 2026-11-01 11:30 UTC).",
            "The session edited files this commit changes.",
            "1 other session of that agent was active at the same time.");
    }

    [Fact]
    public void CoAuthored_ActivityOnly_SaysWhyItStaysLow()
    {
        const string json = """{"rule":"co-author-trailer-activity-only","coAuthored":{"agent":"claude-code","competingSessions":[],"editedCommitFiles":false,"pushedTip":false}}""";

        LinkExplanation.ForCommitLink("co-authored", json).Last().Should().Contain("stays below 0.5");
    }

    [Fact]
    public void Touch_SaysDelayFirstTouchTextShareAndCompetition()
    {
        const string json = """{"method":"inferred-by-touch","rule":"touch","raw":0.85,"touch":{"files":["src/a.cs"],"lastEditTs":"2026-11-01T10:00:00Z","gapMinutes":8.0,"firstTouch":true,"interveningCommits":0,"ownSeriesCommitsBetween":0,"textRatio":0.857,"textLinesFound":12,"share":0.5,"raw":0.85,"competingSessions":[{"sessionId":"s2","raw":0.3}]}}""";

        LinkExplanation.ForCommitLink("inferred-by-touch", json).Should().Equal(
            "The session edited `src/a.cs` 8 min before the commit.",
            "This was the first commit to touch those files after the edit.",
            "12 lines the session wrote are among the commit's added lines (86 % of its written lines).",
            "The session edited 50 % of the commit's files.",
            "1 other session edited the same files, which lowers the confidence.");
    }

    [Fact]
    public void TouchSameTask_NamesTheRelatedSessions()
    {
        const string json = """{"method":"inferred-by-touch","rule":"touch-same-task","raw":0.97,"touch":{"files":["svc/sync.go"],"gapMinutes":20.0,"firstTouch":true,"textLinesFound":2,"textRatio":1.0,"share":1,"raw":0.97,"competingSessions":[],"sameTask":[{"sessionId":"worker","relation":"sub-agent","raw":0.97}]}}""";

        LinkExplanation.ForCommitLink("inferred-by-touch", json).Should().Equal(
            "The session edited `svc/sync.go` 20 min before the commit.",
            "This was the first commit to touch those files after the edit.",
            "2 lines the session wrote are among the commit's added lines (100 % of its written lines).",
            "The session edited 100 % of the commit's files.",
            "Edited alongside its sub-agent `worker` in one working tree: one task, not a rival claim (a link of this kind is calibrated on its own).");
    }

    [Fact]
    public void Touch_InterveningAndNoText_SaysSo()
    {
        const string json = """{"rule":"touch","touch":{"files":["a","b","c","d"],"gapMinutes":1500,"firstTouch":false,"interveningCommits":2,"textRatio":0,"textLinesFound":0,"share":1}}""";

        LinkExplanation.ForCommitLink("inferred-by-touch", json).Should().Equal(
            "The session edited `a`, `b`, `c` and 1 more 25 h before the commit.",
            "2 other commits touched those files in between.",
            "None of the text the session wrote is in the commit's added lines.",
            "The session edited 100 % of the commit's files.");
    }

    [Fact]
    public void SquashOfPr_NamesThePrAndTheCommits()
    {
        const string json = """{"method":"squash-of-pr","rule":"squash-of-pr","raw":1.0,"pr":42,"fromCommits":["1111111111","2222222222"],"inheritedLinkType":"authored"}""";

        LinkExplanation.ForCommitLink("authored", json).Single().Should().Be(
            "This squash merge of PR #42 inherits the session's authored link to 2 of the PR's commits (1111111, 2222222).");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Malformed_GivesOnePlainSentence(string? json) =>
        LinkExplanation.ForCommitLink("authored", json).Should().Equal("Linked as authored; no evidence was recorded.");

    [Fact]
    public void PrLink_Reasons_OneSentenceEach()
    {
        const string json = """{"method":"branch","reasons":[{"reason":"branch","confidence":0.9,"evidence":{"kind":"push","branch":"feat/sort","ts":"2026-11-01T10:00:00Z","command":"git push -u origin feat/sort"}},{"reason":"opened","confidence":0.95,"evidence":{"url":"https://github.com/acme/widgets/pull/42","number":42,"ts":"2026-11-01T10:05:00Z"}},{"reason":"commit","confidence":1.0,"evidence":{"commits":[{"sha":"abcdef1234","linkType":"authored","confidence":1.0}]}}]}""";

        LinkExplanation.ForPrLink("branch", json).Should().Equal(
            "The session pushed the PR's head branch `feat/sort` at 2026-11-01 10:00 UTC.",
            "The session opened this PR (https://github.com/acme/widgets/pull/42) at 2026-11-01 10:05 UTC.",
            "The session is linked to 1 of the PR's commits, the strongest abcdef1 (authored 1.00).");
    }

    [Theory]
    [InlineData("authored", 1.0, "exact")]
    [InlineData("inferred-by-touch", 0.7, "about 7 in 10 links scored like this were right")]
    [InlineData("co-authored", 0.3, "below 0.5, so not counted")]
    public void Confidence_SaysWhatItMeans(string type, double confidence, string expected) =>
        LinkExplanation.Confidence(type, confidence).Should().Contain(expected);
}
