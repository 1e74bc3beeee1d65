using System.Text.Json;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

/// <summary>A CSTP client's session against /cstp, shaped exactly like the seed's (F010) examples.</summary>
public sealed class CstpSessionTests
{
    private const string Project = "tfatykhov/cognition-agent-decisions";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CstpSession_RecordReviewCalibrateAttribute_EndToEnd(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // Seed example: a code-review agent records a finding with project context.
        var recorded = await CstpClient.CallAsync(client, "cstp.recordDecision", new
        {
            summary = "P1: Missing null check in user validation", confidence = 0.9, category = "code-review", stakes = "high",
            project = Project, feature = "cstp-feedback-loop", pr = 8, file = "a2a/cstp/decision_service.py", line = 42, commit = "abc123d",
        });
        var findingId = recorded.GetProperty("id").GetString()!;
        var others = new List<string>();
        foreach (var (summary, confidence) in new[] { ("Retry webhook delivery", 0.7), ("Split the query service", 0.6), ("Drop the cache", 0.3) })
        {
            var r = await CstpClient.CallAsync(client, "cstp.recordDecision", new
            {
                decision = summary, confidence, category = "architecture", project = Project, feature = "cstp-feedback-loop", agent = "reviewer",
            });
            others.Add(r.GetProperty("id").GetString()!);
        }

        await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id = others[0], outcome = "success", actualResult = "held up" });
        await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id = others[1], outcome = "partial", reason = "half of it" });
        var reviewed = await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id = others[2], outcome = "failure" });
        reviewed.GetProperty("success").GetBoolean().Should().BeTrue();

        // Seed example: query by text and project context.
        var query = await CstpClient.CallAsync(client, "cstp.queryDecisions", new
        {
            query = "null check", filters = new { project = Project, feature = "cstp-feedback-loop", pr = 8 },
        });
        query.GetProperty("total").GetInt32().Should().Be(1);
        var found = query.GetProperty("decisions")[0];
        found.GetProperty("id").GetString().Should().Be(findingId);
        found.GetProperty("file").GetString().Should().Be("a2a/cstp/decision_service.py");
        found.GetProperty("line").GetInt32().Should().Be(42);
        found.GetProperty("commit").GetString().Should().Be("abc123d");
        found.GetProperty("project").GetString().Should().Be(Project);

        var reviewedOnly = await CstpClient.CallAsync(client, "cstp.queryDecisions", new { filters = new { project = Project, hasOutcome = true }, limit = 50 });
        reviewedOnly.GetProperty("total").GetInt32().Should().Be(3);

        // Seed example: calibration filtered by project and category; architecture has 3 reviewed decisions.
        // Scores 1, 0.5, 0 vs confidences 0.7, 0.6, 0.3 → Brier (0.09 + 0.01 + 0.09) / 3 = 0.063; accuracy 0.5; gap 0.5 − 0.533 = −0.033.
        var calibration = await CstpClient.CallAsync(client, "cstp.getCalibration", new { filters = new { project = Project, category = "architecture" } });
        var overall = calibration.GetProperty("overall");
        overall.GetProperty("brierScore").GetDouble().Should().Be(0.063);
        overall.GetProperty("accuracy").GetDouble().Should().Be(0.5);
        overall.GetProperty("calibrationGap").GetDouble().Should().Be(-0.033);
        overall.GetProperty("reviewedDecisions").GetInt32().Should().Be(3);
        overall.GetProperty("interpretation").GetString().Should().Be("well_calibrated"); // |−0.033| < 0.05
        calibration.GetProperty("byConfidenceBucket").GetArrayLength().Should().Be(0, "each bucket holds one decision, under CSTP's minimum of 3");

        var grouped = await CstpClient.CallAsync(client, "cstp.getCalibration", new { filters = new { project = Project }, groupBy = "category" });
        var groups = grouped.GetProperty("groups").EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("key").GetString()).Should().Equal("architecture", "code-review");
        groups[0].GetProperty("overall").GetProperty("brierScore").GetDouble().Should().Be(0.063);
        groups[1].GetProperty("overall").ValueKind.Should().Be(JsonValueKind.Null);
        groups[1].GetProperty("message").GetString().Should().Contain("at least 3");

        // Seed example: attribution two weeks later (dry run: nothing is known about PR #8 here, so it stays pending).
        var attributed = await CstpClient.CallAsync(client, "cstp.attributeOutcomes", new { project = Project, dryRun = true });
        attributed.GetProperty("processed").GetInt32().Should().Be(4);
        attributed.GetProperty("attributed").GetProperty("stable").GetInt32().Should().Be(0);
        var finding = attributed.GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("id").GetString() == findingId);
        finding.GetProperty("outcome").ValueKind.Should().Be(JsonValueKind.Null);
        finding.GetProperty("reason").GetString().Should().Contain("no known PR");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CstpSession_ReportBugWithStackTrace_BlamesToCommitPrSessionAndDecision(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        using var git = new ScratchRepository();
        var t0 = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        git.Commit("Add validation", t0, ("a2a/cstp/decision_service.py", ScratchRepository.Lines("def record(user):", "    return user", "")));
        var culprit = git.Commit("Read the user's name", t0.AddDays(1),
            ("a2a/cstp/decision_service.py", ScratchRepository.Lines("def record(user):", "    name = user.name", "    return name", "")));
        git.Commit("Add header", t0.AddDays(2),
            ("a2a/cstp/decision_service.py", ScratchRepository.Lines("# service", "def record(user):", "    name = user.name", "    return name", "")));
        var seed = new EvidenceSeeder(app.Database.Connections);
        await seed.RepositoryAsync(Project, git.Path);
        await seed.PrAsync(Project, 8, "merged", t0.AddDays(1));
        await seed.PrCommitAsync(Project, 8, culprit);
        await seed.SessionLinkAsync(Project, culprit, "sess-strong", 0.9, "authored");
        await seed.SessionLinkAsync(Project, culprit, "sess-weak", 0.3, "inferred-by-touch");
        var decision = await CstpClient.CallAsync(client, "cstp.recordDecision", new
        {
            summary = "Assume user is never None", confidence = 0.9, project = Project, pr = 8, file = "a2a/cstp/decision_service.py", line = 2,
            commit = culprit[..7],
        });
        const string trace = """
            Traceback (most recent call last):
              File "/srv/app/a2a/cstp/server.py", line 88, in handle
              File "/srv/app/a2a/cstp/decision_service.py", line 3, in record
            AttributeError: 'NoneType' object has no attribute 'name'
            """;

        var bug = await CstpClient.CallAsync(client, "cstp.reportBug", new { project = Project, stackTrace = trace });

        bug.GetProperty("file").GetString().Should().Be("a2a/cstp/decision_service.py");
        bug.GetProperty("introducingCommit").GetString().Should().Be(culprit);
        bug.GetProperty("originLine").GetInt32().Should().Be(2);
        bug.GetProperty("pr").GetInt32().Should().Be(8);
        bug.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).Should().Equal("sess-strong");
        bug.GetProperty("decisions")[0].GetProperty("id").GetString().Should().Be(decision.GetProperty("id").GetString());
        bug.GetProperty("decisionMatch").GetString().Should().Be("line");
        bug.GetProperty("frames").GetArrayLength().Should().Be(2);
        bug.GetProperty("frames")[1].GetProperty("inRepository").GetBoolean().Should().BeFalse();

        var attributed = await CstpClient.CallAsync(client, "cstp.attributeOutcomes", new { project = Project });
        attributed.GetProperty("attributed").GetProperty("bugLinked").GetInt32().Should().Be(1);
        attributed.GetProperty("decisions")[0].GetProperty("outcome").GetString().Should().Be("failure");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CstpSession_ReportBugWithoutClone_MapsFramesOnRecordedHistory(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var seed = new EvidenceSeeder(app.Database.Connections);
        await seed.CommitAsync("acme/web", new string('1', 40), "Add users", DateTimeOffset.UtcNow.AddDays(-3), ["src/users/get.js"]);

        var bug = await CstpClient.CallAsync(client, "cstp.reportBug", new
        {
            project = "acme/web", stackTrace = "TypeError: x\n    at getUser (/app/src/users/get.js:10:5)\n",
        });

        bug.GetProperty("file").GetString().Should().Be("src/users/get.js");
        bug.GetProperty("line").GetInt32().Should().Be(10);
        bug.GetProperty("introducingCommit").ValueKind.Should().Be(JsonValueKind.Null);
        bug.GetProperty("note").GetString().Should().Contain("no registered clone");
        bug.GetProperty("id").GetString().Should().StartWith("bug-");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CstpSession_ReportBugFileLineAtOlderCommit_BlamesAsOfThatCommit(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        using var git = new ScratchRepository();
        var t0 = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var first = git.Commit("Add", t0, ("src/x.go", ScratchRepository.Lines("package x", "func F() int { return 1 }")));
        var second = git.Commit("Change", t0.AddDays(1), ("src/x.go", ScratchRepository.Lines("package x", "func F() int { return 2 }")));
        await new EvidenceSeeder(app.Database.Connections).RepositoryAsync("acme/go", git.Path);

        var atFirst = await CstpClient.CallAsync(client, "cstp.reportBug", new { project = "acme/go", file = "/home/u/proj/src/x.go", line = 2, commit = first[..10] });
        var atHead = await CstpClient.CallAsync(client, "cstp.reportBug", new { project = "acme/go", file = "src/x.go", line = 2 });
        var unknownCommit = await CstpClient.CallAsync(client, "cstp.reportBug", new { project = "acme/go", file = "src/x.go", line = 2, commit = "deadbeef" });

        atFirst.GetProperty("introducingCommit").GetString().Should().Be(first);
        atFirst.GetProperty("file").GetString().Should().Be("src/x.go");
        atHead.GetProperty("introducingCommit").GetString().Should().Be(second);
        atHead.GetProperty("blamedAt").GetString().Should().Be(second);
        unknownCommit.GetProperty("introducingCommit").ValueKind.Should().Be(JsonValueKind.Null);
        unknownCommit.GetProperty("note").GetString().Should().Contain("not in the registered clone");
    }
}
