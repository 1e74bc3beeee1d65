using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Decisions;

/// <summary>
/// CSTP's own clients against <c>POST /cstp</c> (github.com/tfatykhov/cognition-agent-decisions): the requests are the
/// ones its command-line client (<c>scripts/cstp.py</c>), its dashboard (<c>dashboard/cstp_client.py</c> and
/// <c>models.py</c>), its tests and its walkthrough send, byte for byte where they are literal; the assertions are what
/// those clients read from the answer (names, types, codes). Each test names the client line it stands for.
/// </summary>
public sealed class CstpClientCompatibilityTests
{
    /// <summary>Python's <c>datetime.isoformat()</c> of a UTC time, which the dashboard's <c>fromisoformat</c> reads on every Python 3.</summary>
    private const string PythonIsoTime = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RawAsync(HttpClient client, string json) => await CstpClient.PostAsync(client, json);

    private static async Task<JsonElement> ResultAsync(HttpClient client, string json)
    {
        var (status, body) = await CstpClient.PostAsync(client, json);
        status.Should().Be(HttpStatusCode.OK);
        body.TryGetProperty("error", out var error).Should().BeFalse(error.ValueKind == JsonValueKind.Undefined ? "" : error.ToString());
        return body.GetProperty("result");
    }

    private static async Task<string> RecordAsync(HttpClient client, string summary, double confidence, string category = "architecture",
        string? project = null, string? agent = null, string stakes = "medium")
    {
        var result = await CstpClient.CallAsync(client, "cstp.recordDecision", new { decision = summary, confidence, category, stakes, project, agent });
        return result.GetProperty("id").GetString()!;
    }

    private static async Task ReviewAsync(HttpClient client, string id, string outcome) =>
        await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id, outcome });

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommandLine_RecordThenQuery_PrintsTitleAndDistance(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // cstp.py record -d ... -f 0.85 -c architecture -s medium --context ... -r analysis:... -r pattern:... --project acme/shop --pr 42 --structure ... --function ...
        var recorded = await ResultAsync(client, """
            {"jsonrpc":"2.0","method":"cstp.recordDecision","id":1,"params":{
              "decision":"Use Redis for session caching instead of in-memory store","confidence":0.85,"category":"architecture","stakes":"medium",
              "context":"Evaluating caching strategies for multi-instance deployment.",
              "project_context":{"project":"acme/shop","pr":42},
              "reasons":[{"type":"analysis","text":"Redis survives process restarts"},{"type":"pattern","text":"Previous projects had cache-loss bugs","strength":0.7}],
              "bridge":{"structure":"shared cache","function":"survive restarts"}}}
            """);

        // print(f"Decision recorded: {result['id']}"); result.get('indexed', False)
        var id = recorded.GetProperty("id").GetString()!;
        id.Should().MatchRegex("^[0-9a-f]{8}$");
        recorded.GetProperty("indexed").GetBoolean().Should().BeTrue();
        recorded.GetProperty("path").GetString().Should().NotBeNullOrEmpty();
        recorded.GetProperty("success").GetBoolean().Should().BeTrue();

        // cstp.py query "Redis caching" --category architecture --project acme/shop (--top 5, --mode hybrid)
        var query = await ResultAsync(client, """
            {"jsonrpc":"2.0","method":"cstp.queryDecisions","id":1,"params":{"query":"Redis caching","limit":5,"retrievalMode":"hybrid",
              "filters":{"category":"architecture","project":"acme/shop"}}}
            """);

        // result['total'], d['id'], d.get('title', 'Untitled'), d['category'], d.get('stakes'), d['confidence'], f"{d['distance']:.3f}"
        var decisions = query.GetProperty("decisions").EnumerateArray().ToList();
        query.GetProperty("total").GetInt32().Should().Be(decisions.Count).And.Be(1);
        var d = decisions[0];
        d.GetProperty("id").GetString().Should().Be(id);
        d.GetProperty("title").GetString().Should().Be("Use Redis for session caching instead of in-memory store");
        d.GetProperty("category").GetString().Should().Be("architecture");
        d.GetProperty("stakes").GetString().Should().Be("medium");
        d.GetProperty("confidence").GetDouble().Should().Be(0.85);
        d.GetProperty("distance").ValueKind.Should().Be(JsonValueKind.Number);
        d.GetProperty("distance").GetDouble().Should().BeInRange(0, 1);
        d.GetProperty("status").GetString().Should().Be("pending");
        d.GetProperty("date").GetString().Should().MatchRegex(PythonIsoTime);

        // QueryDecisionsResponse.to_dict: queryTimeMs (int), agent (str), retrievalMode (str)
        query.GetProperty("queryTimeMs").ValueKind.Should().Be(JsonValueKind.Number);
        query.GetProperty("agent").ValueKind.Should().Be(JsonValueKind.String);
        query.GetProperty("retrievalMode").GetString().Should().Be("keyword");
        query.GetProperty("query").GetString().Should().Be("Redis caching");

        // The project context sent as an object is stored as such (F010 fields).
        d.GetProperty("project").GetString().Should().Be("acme/shop");
        d.GetProperty("pr").GetInt32().Should().Be(42);
        d.GetProperty("project_context").GetProperty("pr").GetInt32().Should().Be(42);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Query_TotalIsTheNumberReturned_MatchedCountsAll(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await RecordAsync(client, $"Queue retry policy {i}", 0.6);
        }

        var query = await CstpClient.CallAsync(client, "cstp.queryDecisions", new { query = "queue retry", limit = 2 });

        query.GetProperty("decisions").GetArrayLength().Should().Be(2);
        query.GetProperty("total").GetInt32().Should().Be(2, "CSTP's total is len(results)");
        query.GetProperty("matched").GetInt32().Should().Be(4);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommandLine_GetDecision_FoundAndNotFound(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var id = await RecordAsync(client, "Split the query service", 0.7, project: "acme/shop");

        // cstp.py get <id>: result.get("found"); d = result["decision"]; d.get('decision', d.get('summary')), category, stakes, confidence, date
        var got = await ResultAsync(client, $$"""{"jsonrpc":"2.0","method":"cstp.getDecision","params":{"id":"{{id}}"},"id":1}""");
        got.GetProperty("found").GetBoolean().Should().BeTrue();
        var d = got.GetProperty("decision");
        d.GetProperty("id").GetString().Should().Be(id);
        d.GetProperty("decision").GetString().Should().Be("Split the query service");
        d.GetProperty("category").GetString().Should().Be("architecture");
        d.GetProperty("stakes").GetString().Should().Be("medium");
        d.GetProperty("confidence").GetDouble().Should().Be(0.7);
        d.GetProperty("date").GetString().Should().MatchRegex(PythonIsoTime);
        d.GetProperty("project").GetString().Should().Be("acme/shop");

        // test_get_decision: decision_id alias, and a partial id finds the decision.
        var byAlias = await ResultAsync(client, $$"""{"jsonrpc":"2.0","method":"cstp.getDecision","params":{"decision_id":"{{id[..6]}}"},"id":2}""");
        byAlias.GetProperty("found").GetBoolean().Should().BeTrue();
        byAlias.GetProperty("decision").GetProperty("id").GetString().Should().Be(id);

        // test_get_nonexistent_decision: found False, no decision, "not found" in error.
        var missing = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getDecision","params":{"id":"zzz99999"},"id":3}""");
        missing.GetProperty("found").GetBoolean().Should().BeFalse();
        missing.TryGetProperty("decision", out _).Should().BeFalse();
        missing.GetProperty("error").GetString()!.ToLowerInvariant().Should().Contain("not found");

        // test_from_dict_invalid_id_raises / path traversal: refused as invalid params.
        var (_, traversal) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.getDecision","params":{"id":"../../../etc/passwd"},"id":4}""");
        traversal.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
        var (_, empty) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.getDecision","params":{},"id":5}""");
        empty.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Review_DashboardAndCommandLine_StatusReviewed(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var first = await RecordAsync(client, "Decision to review", 0.85);
        var second = await RecordAsync(client, "Another decision to review", 0.6);

        // dashboard review_decision: {"id", "outcome", "actual_result", "lessons"} → result.get("status") == "reviewed"
        var dashboard = await ResultAsync(client, $$"""
            {"jsonrpc":"2.0","method":"cstp.reviewDecision","params":{"id":"{{first}}","outcome":"success","actual_result":"Worked perfectly","lessons":"Always test first"},"id":1}
            """);
        dashboard.GetProperty("status").GetString().Should().Be("reviewed");
        dashboard.GetProperty("success").GetBoolean().Should().BeTrue();
        dashboard.GetProperty("id").GetString().Should().Be(first);
        dashboard.GetProperty("path").ValueKind.Should().Be(JsonValueKind.String);
        dashboard.GetProperty("reviewedAt").GetString().Should().MatchRegex(PythonIsoTime);
        dashboard.GetProperty("reindexed").ValueKind.Should().Be(JsonValueKind.True);

        // cstp.py review --id <prefix> --outcome partial --result ...: params "decision_id" and "actual_result"; result.get("success")
        var cli = await ResultAsync(client, $$"""
            {"jsonrpc":"2.0","method":"cstp.reviewDecision","params":{"decision_id":"{{second[..5]}}","outcome":"partial","actual_result":"half of it"},"id":1}
            """);
        cli.GetProperty("success").GetBoolean().Should().BeTrue();
        cli.GetProperty("id").GetString().Should().Be(second);

        // The dashboard's get_decision then shows the review (Decision.from_dict: outcome, actual_result, reviewed_at).
        var got = await CstpClient.CallAsync(client, "cstp.getDecision", new { id = first });
        var d = got.GetProperty("decision");
        d.GetProperty("outcome").GetString().Should().Be("success");
        d.GetProperty("status").GetString().Should().Be("reviewed");
        d.GetProperty("actual_result").GetString().Should().Be("Worked perfectly");
        d.GetProperty("reviewed_at").GetString().Should().MatchRegex(PythonIsoTime);

        // test_validation_error: an invalid outcome is an error whose message names "outcome".
        var (_, invalid) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.reviewDecision","params":{"id":"test123","outcome":"invalid_outcome"},"id":3}""");
        invalid.GetProperty("error").GetProperty("message").GetString()!.ToLowerInvariant().Should().Contain("outcome");

        // test_review_nonexistent_decision: "not found". Kept on purpose: -32602 (invalid params) where CSTP answers -32603.
        var (_, unknown) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.reviewDecision","params":{"id":"nonexistent123","outcome":"success"},"id":4}""");
        unknown.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
        unknown.GetProperty("error").GetProperty("message").GetString()!.ToLowerInvariant().Should().Contain("not found");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Review_AmbiguousPrefix_InvalidParamsListingCandidates(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<DecisionStore>();
        foreach (var id in new[] { "abcd0001", "abcd0002", "beef0001" })
        {
            (await store.InsertAsync(new DecisionRecord { Id = id, Summary = "s " + id, Confidence = 0.5, CreatedTs = DateTimeOffset.UtcNow }, default))
                .Should().BeTrue();
        }

        // Two decisions start with "abcd": the prefix names neither, and the error lists both.
        var (_, ambiguous) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.reviewDecision","params":{"id":"abcd","outcome":"success"},"id":1}""");
        ambiguous.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
        ambiguous.GetProperty("error").GetProperty("message").GetString().Should().Contain("abcd0001").And.Contain("abcd0002");

        // A unique prefix of 4+ characters names its decision; a shorter one is not looked up.
        var unique = await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id = "beef", outcome = "success" });
        unique.GetProperty("id").GetString().Should().Be("beef0001");
        var (_, shortPrefix) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.getDecision","params":{"id":"bee"},"id":2}""");
        shortPrefix.GetProperty("result").GetProperty("found").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Record_CstpDefaults_ConfidenceCategoryStakesAndLineWithoutFile(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // RecordDecisionRequest.from_dict: confidence or 0.5, category or "process", stakes or "medium"; a line alone is kept.
        var recorded = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.recordDecision","params":{"decision":"Keep the monolith","line":12},"id":1}""");
        var got = await CstpClient.CallAsync(client, "cstp.getDecision", new { id = recorded.GetProperty("id").GetString() });

        var d = got.GetProperty("decision");
        d.GetProperty("confidence").GetDouble().Should().Be(0.5);
        d.GetProperty("category").GetString().Should().Be("process");
        d.GetProperty("stakes").GetString().Should().Be("medium");
        d.GetProperty("line").GetInt32().Should().Be(12);
        d.GetProperty("file").ValueKind.Should().Be(JsonValueKind.Null);

        // Kept stricter on purpose: a confidence outside [0, 1] is refused with the field named (CSTP refuses it too, as a validation error).
        var (_, outOfRange) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.recordDecision","params":{"decision":"x","confidence":1.5},"id":2}""");
        outOfRange.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("confidence");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Calibration_CstpTests_Replayed(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // test_insufficient_data: one reviewed decision, {"filters": {"minDecisions": 5}} → overall None, an insufficient_data recommendation.
        await ReviewAsync(client, await RecordAsync(client, "only1", 0.80, agent: "lonely"), "success");
        var insufficient = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{"filters":{"minDecisions":5}},"id":3}""");
        insufficient.GetProperty("overall").ValueKind.Should().Be(JsonValueKind.Null);
        insufficient.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("type").GetString()).Should().Contain("insufficient_data");

        // test_with_filters: five successes at 0.80 by agent-a, five failures by agent-b; {"filters": {"agent": "agent-a"}}.
        for (var i = 0; i < 5; i++)
        {
            await ReviewAsync(client, await RecordAsync(client, $"a{i}", 0.80, agent: "agent-a"), "success");
            await ReviewAsync(client, await RecordAsync(client, $"b{i}", 0.80, agent: "agent-b"), "failure");
        }

        var filtered = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{"filters":{"agent":"agent-a"}},"id":2}""");
        filtered.GetProperty("overall").GetProperty("totalDecisions").GetInt32().Should().Be(5);
        filtered.GetProperty("overall").GetProperty("accuracy").GetDouble().Should().Be(1.0);

        // test_recommendations_included: "recommendations" and "queryTime" in every answer.
        var all = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{},"id":5}""");
        all.GetProperty("recommendations").ValueKind.Should().Be(JsonValueKind.Array);
        all.GetProperty("queryTime").GetString().Should().MatchRegex(PythonIsoTime);

        // test_buckets_included: 11 reviewed at 0.80 → the 0.7-0.9 bucket, expected rate 0.80 (CSTP's table), 6 of 11 succeeded.
        var bucket = all.GetProperty("byConfidenceBucket").EnumerateArray().Single();
        bucket.GetProperty("bucket").GetString().Should().Be("0.7-0.9");
        bucket.GetProperty("decisions").GetInt32().Should().Be(11);
        bucket.GetProperty("expectedRate").GetDouble().Should().Be(0.80);
        bucket.GetProperty("successRate").GetDouble().Should().Be(0.545);
        bucket.GetProperty("gap").GetDouble().Should().Be(-0.255);
        bucket.GetProperty("interpretation").GetString().Should().Be("overconfident");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DashboardCalibration_SparseBucketsLeftOut_NoNullRates(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // Three reviewed at 0.92 (bucket 0.9-1.0), one at 0.6 and one at 0.3: two sparse buckets, one full, one empty.
        foreach (var (confidence, outcome) in new[] { (0.92, "success"), (0.92, "success"), (0.92, "failure"), (0.6, "success"), (0.3, "failure") })
        {
            await ReviewAsync(client, await RecordAsync(client, "cache layer", confidence, project: "acme/shop"), outcome);
        }

        await RecordAsync(client, "not reviewed yet", 0.75, project: "acme/shop");

        // dashboard get_calibration(project=..., category=..., window="30d"): top-level params.
        var result = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{"project":"acme/shop","category":"architecture","window":"30d"},"id":1}""");

        // calibration.html: (b.success_rate * 100), (b.expected_rate * 100), b.gap * 100 for every bucket listed: none may be null.
        var buckets = result.GetProperty("byConfidenceBucket").EnumerateArray().ToList();
        buckets.Should().ContainSingle();
        foreach (var b in buckets)
        {
            b.GetProperty("decisions").GetInt32().Should().BeGreaterThanOrEqualTo(3);
            b.GetProperty("successRate").ValueKind.Should().Be(JsonValueKind.Number);
            b.GetProperty("expectedRate").ValueKind.Should().Be(JsonValueKind.Number);
            b.GetProperty("gap").ValueKind.Should().Be(JsonValueKind.Number);
            b.GetProperty("interpretation").GetString().Should().BeOneOf("well_calibrated", "overconfident", "underconfident");
        }

        buckets[0].GetProperty("expectedRate").GetDouble().Should().Be(0.95);
        buckets[0].GetProperty("successRate").GetDouble().Should().Be(0.667);

        // CalibrationStats.from_dict: overall totalDecisions/reviewedDecisions/brierScore/accuracy/interpretation; window metadata.
        var overall = result.GetProperty("overall");
        overall.GetProperty("totalDecisions").GetInt32().Should().Be(6);
        overall.GetProperty("reviewedDecisions").GetInt32().Should().Be(5);
        overall.GetProperty("interpretation").GetString().Should().BeOneOf(
            "well_calibrated", "overconfident", "slightly_overconfident", "underconfident", "slightly_underconfident");
        overall.GetProperty("window").GetString().Should().Be("30d");
        overall.GetProperty("periodStart").GetString().Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$");

        // recommendations: [r["message"] for r in ...]; confidenceStats for the distribution chart.
        result.GetProperty("recommendations").EnumerateArray().Should().OnlyContain(r => r.GetProperty("message").GetString()!.Length > 0);
        var stats = result.GetProperty("confidenceStats");
        stats.GetProperty("count").GetInt32().Should().Be(6);
        stats.GetProperty("mean").GetDouble().Should().BeApproximately(0.735, 0.0011); // (0.92 × 3 + 0.6 + 0.3 + 0.75) / 6
        stats.GetProperty("bucketCounts").GetProperty("0.9-1.0").GetInt32().Should().Be(3);

        // A window that is not a duration is refused, naming it.
        var (_, bad) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{"window":"last month"},"id":2}""");
        bad.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("window");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommandLine_Calibration_ReadsSnakeCaseOverallAndRecommendations(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        foreach (var (confidence, outcome) in new[] { (0.9, "success"), (0.9, "failure"), (0.8, "success") })
        {
            await ReviewAsync(client, await RecordAsync(client, "x", confidence, project: "acme/cli"), outcome);
        }

        // cstp.py calibration --project acme/cli: params {"project": ...}; o['total_decisions'], o['reviewed_decisions'],
        // o['accuracy']*100, o['brier_score'], o['interpretation']; r['message'] for r in recommendations.
        var result = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getCalibration","params":{"project":"acme/cli"},"id":1}""");
        var o = result.GetProperty("overall");
        o.GetProperty("total_decisions").GetInt32().Should().Be(3);
        o.GetProperty("reviewed_decisions").GetInt32().Should().Be(3);
        o.GetProperty("accuracy").GetDouble().Should().Be(0.667);
        o.GetProperty("brier_score").GetDouble().Should().Be(0.287); // (0.01 + 0.81 + 0.04) / 3
        o.GetProperty("interpretation").GetString().Should().Be("overconfident"); // 0.667 − 0.867 = −0.2
        result.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("type").GetString())
            .Should().Contain(["confidence_adjustment", "brier_score"]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DashboardList_DefaultParamsFiltersSortAndPaging(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var low = await RecordAsync(client, "Low stakes tweak", 0.4, category: "process", stakes: "low");
        var high = await RecordAsync(client, "High stakes migration", 0.9, category: "architecture", stakes: "high");
        var mid = await RecordAsync(client, "Medium refactor", 0.6, category: "architecture");
        await ReviewAsync(client, mid, "success");

        // test_list_decisions_default_params: {"limit": 50, "offset": 0} → {"decisions", "total", "limit", "offset"}.
        var page = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.listDecisions","params":{"limit":50,"offset":0},"id":1}""");
        page.GetProperty("total").GetInt32().Should().Be(3);
        page.GetProperty("limit").GetInt32().Should().Be(50);
        page.GetProperty("offset").GetInt32().Should().Be(0);

        // Decision.from_dict: data["id"], data["created_at"] (fromisoformat), summary, category, stakes, confidence.
        foreach (var d in page.GetProperty("decisions").EnumerateArray())
        {
            d.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
            d.GetProperty("created_at").GetString().Should().MatchRegex(PythonIsoTime);
            d.GetProperty("summary").GetString().Should().NotBeNullOrEmpty();
            d.GetProperty("confidence").ValueKind.Should().Be(JsonValueKind.Number);
        }

        // list_decisions(category=..., stakes=..., status=..., sort=..., order=...) sends them top-level.
        var pending = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.listDecisions","params":{"limit":50,"offset":0,"status":"pending","sort":"confidence","order":"asc"},"id":2}""");
        pending.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(low, high);

        var architecture = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.listDecisions","params":{"limit":1,"offset":1,"category":"architecture","sort":"stakes"},"id":3}""");
        architecture.GetProperty("total").GetInt32().Should().Be(2);
        architecture.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(mid);

        var search = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.listDecisions","params":{"search":"migration","stakes":"high"},"id":4}""");
        search.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(high);

        var (_, badSort) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.listDecisions","params":{"sort":"id; DROP TABLE decisions"},"id":5}""");
        badSort.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("sort");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DashboardSearch_TopLevelFiltersApply(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var shop = await RecordAsync(client, "Cache invalidation on write", 0.7, project: "acme/shop");
        await RecordAsync(client, "Cache invalidation on read", 0.7, project: "acme/other");
        await RecordAsync(client, "Cache invalidation on delete", 0.7, category: "process", project: "acme/shop");

        // search_decisions(query, limit=20, category=..., has_outcome=False, project=...) sends the filters top-level.
        var result = await ResultAsync(client, """
            {"jsonrpc":"2.0","method":"cstp.queryDecisions","params":{"query":"cache invalidation","limit":20,"category":"architecture","hasOutcome":false,"project":"acme/shop"},"id":1}
            """);

        result.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(shop);
        result.GetProperty("decisions")[0].GetProperty("created_at").GetString().Should().MatchRegex(PythonIsoTime);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Query_MinConfidenceAndStakesFilters_Applied(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        await RecordAsync(client, "Shard the table", 0.4, stakes: "high");
        var keep = await RecordAsync(client, "Shard the index", 0.8, stakes: "high");
        await RecordAsync(client, "Shard the cache", 0.9, stakes: "low");

        // QueryFilters.from_dict: minConfidence, maxConfidence, stakes (a list).
        var result = await ResultAsync(client, """
            {"jsonrpc":"2.0","method":"cstp.queryDecisions","params":{"query":"shard","filters":{"minConfidence":0.5,"stakes":["high","critical"]}},"id":1}
            """);

        result.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(keep);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DashboardStats_CountsByCategoryStakesStatusAgentDay(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var reviewed = await RecordAsync(client, "a", 0.8, category: "architecture", agent: "emerson", project: "acme/shop");
        await RecordAsync(client, "b", 0.7, category: "architecture", agent: "emerson", project: "acme/shop", stakes: "high");
        await RecordAsync(client, "c", 0.6, category: "process", agent: "code-reviewer", project: "acme/other");
        await ReviewAsync(client, reviewed, "success");

        // get_stats(): _call("cstp.getStats", {}) → total, byCategory, byStakes, byStatus, byAgent, byDay, topTags, recentActivity.
        var stats = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.getStats","params":{},"id":6}""");
        stats.GetProperty("total").GetInt32().Should().Be(3);
        stats.GetProperty("byCategory").GetProperty("architecture").GetInt32().Should().Be(2);
        stats.GetProperty("byCategory").GetProperty("process").GetInt32().Should().Be(1);
        stats.GetProperty("byStakes").GetProperty("medium").GetInt32().Should().Be(2);
        stats.GetProperty("byStakes").GetProperty("high").GetInt32().Should().Be(1);
        stats.GetProperty("byStatus").GetProperty("pending").GetInt32().Should().Be(2);
        stats.GetProperty("byStatus").GetProperty("reviewed").GetInt32().Should().Be(1);
        stats.GetProperty("byAgent").GetProperty("emerson").GetInt32().Should().Be(2);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        stats.GetProperty("byDay").EnumerateArray().Should().ContainSingle(d => d.GetProperty("date").GetString() == today && d.GetProperty("count").GetInt32() == 3);
        stats.GetProperty("topTags").ValueKind.Should().Be(JsonValueKind.Array);
        stats.GetProperty("recentActivity").GetArrayLength().Should().Be(3);
        stats.GetProperty("totalDecisions").GetInt32().Should().Be(3);
        stats.GetProperty("reviewedDecisions").GetInt32().Should().Be(1);

        // test_get_stats_with_filters: dateFrom, dateTo, project.
        var filtered = await ResultAsync(client, $$"""{"jsonrpc":"2.0","method":"cstp.getStats","params":{"dateFrom":"{{today}}","dateTo":"{{today}}","project":"acme/shop"},"id":7}""");
        filtered.GetProperty("total").GetInt32().Should().Be(2);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var before = await ResultAsync(client, $$"""{"jsonrpc":"2.0","method":"cstp.getStats","params":{"dateTo":"{{yesterday}}"},"id":8}""");
        before.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_SinceAsDuration_AsInCstpDocs(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        var id = await RecordAsync(client, "Retry webhooks", 0.7, project: "acme/shop");

        var result = await ResultAsync(client, """{"jsonrpc":"2.0","method":"cstp.attributeOutcomes","params":{"project":"acme/shop","since":"30d","dryRun":true},"id":1}""");

        result.GetProperty("processed").GetInt32().Should().Be(1);
        result.GetProperty("attributed").GetProperty("stable").GetInt32().Should().Be(0);
        result.GetProperty("attributed").GetProperty("skipped").GetInt32().Should().Be(1, "no PR is known: left pending, as CSTP counts it");
        result.GetProperty("queryTime").GetString().Should().MatchRegex(PythonIsoTime);
        var item = result.GetProperty("decisions")[0];
        item.GetProperty("id").GetString().Should().Be(id);
        item.GetProperty("path").ValueKind.Should().Be(JsonValueKind.String);
        item.GetProperty("updated").GetBoolean().Should().BeFalse();

        var (_, bad) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.attributeOutcomes","params":{"project":"acme/shop","since":"a while"},"id":2}""");
        bad.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("since");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Request_WithoutId_IsANotification_KeptOnPurpose(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        // JSON-RPC 2.0 §4.1: a call without "id" is a notification and gets no answer (CSTP answers with "id": null). Every
        // CSTP client sends an id, so none depends on the difference; the call still runs.
        var (status, _) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.recordDecision","params":{"decision":"Quiet one"}}""");

        status.Should().Be(HttpStatusCode.NoContent);
        (await CstpClient.CallAsync(client, "cstp.getStats", new { })).GetProperty("total").GetInt32().Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Auth_CstpAgentScopedBearer_AcceptedOnCstpOnly(string provider)
    {
        const string key = "cstp-key-1";
        await using var app = await AttributionApp.StartAsync(provider, new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = key });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "emerson:" + key);

        // CSTP clients send "Authorization: Bearer <CSTP_TOKEN>", where the token may be CSTP's agent:secret form.
        var (status, _) = await RawAsync(client, """{"jsonrpc":"2.0","method":"cstp.getStats","params":{},"id":1}""");
        status.Should().Be(HttpStatusCode.OK);

        using (var api = await client.GetAsync("/api/ci-runs"))
        {
            api.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the agent-scoped form is CSTP's, not the JSON API's");
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "emerson:wrong-key");
        using var content = new StringContent("""{"jsonrpc":"2.0","method":"cstp.getStats","params":{},"id":1}""", Encoding.UTF8, "application/json");
        using var wrong = await client.PostAsync("/cstp", content);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
