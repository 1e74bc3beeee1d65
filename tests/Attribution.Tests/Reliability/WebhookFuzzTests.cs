using System.Net;
using System.Text.Json.Nodes;
using Attribution.Common;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Mutated real fixtures of every event type, validly signed, through the three receivers: never a 5xx, errors are
/// problem details, every accepted delivery leaves the inbox, the server stays healthy, and rows stored before the
/// run are unchanged.
/// </summary>
public sealed class WebhookFuzzTests
{
    private const int BoundedCases = 360;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MutatedSignedDeliveries_NeverAnswer5xxNorChangeStoredRows(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var db = new ReliabilityDb(app.Database.Connections);
        var seededRepos = await SeedAsync(client, db);
        var before = await db.SnapshotAsync(seededRepos);
        var corpus = WebhookCorpus.All;
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();
        var accepted = new List<(string Receiver, string Id)>();
        var codes = new Dictionary<int, int>();

        var cases = FuzzSettings.Cases(BoundedCases);
        for (var i = 0; i < cases; i++)
        {
            var seed = corpus[random.Next(corpus.Count)];
            var (kind, body) = JsonMutator.Mutate(seed.Body, random);
            var id = $"fuzz-{FuzzSettings.Seed}-{i}";
            using var response = await WebhookSender.SendAsync(client, seed, body, id);
            var code = (int)response.StatusCode;
            codes[code] = codes.GetValueOrDefault(code) + 1;
            if (code >= 500)
            {
                failures.Add($"case {i} ({seed.Name}, {kind}): {code} {await response.Content.ReadAsStringAsync()}");
            }
            else if (code >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"case {i} ({seed.Name}, {kind}): {code} without problem details");
            }
            else if (code == 202)
            {
                accepted.Add((WebhookSender.StoredReceiver(seed), id));
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}, answers {string.Join(", ", codes.Select(c => $"{c.Key}×{c.Value}"))}");
        (await db.DrainAsync(TimeSpan.FromSeconds(30))).Should().Be(0, "every accepted delivery leaves the inbox");
        var stored = await db.QueryAsync<DeliveryState>("SELECT receiver, delivery_id, status FROM webhook_deliveries WHERE delivery_id LIKE 'fuzz-%'");
        stored.Select(s => (s.Receiver, s.DeliveryId)).Should().BeEquivalentTo(accepted, "exactly the accepted deliveries are stored");
        stored.Should().OnlyContain(s => s.Status == DeliveryStore.Processed || s.Status == DeliveryStore.Failed);
        using (var health = await client.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            health.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await db.SnapshotAsync(seededRepos)).Should().BeEquivalentTo(before, options => options.WithStrictOrdering());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SignedDeliveryWithInvalidUtf8InAString_Is400AndStoresNothing(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var text = System.Text.Encoding.UTF8.GetString(Payloads.GitLab("gitlab/merge_request.update.json", "acme/utf8"));
        var at = text.IndexOf("\"title\":\"", StringComparison.Ordinal) + 9;
        byte[] body = [.. System.Text.Encoding.UTF8.GetBytes(text[..at]), 0xF7, .. System.Text.Encoding.UTF8.GetBytes(text[at..])];

        using var response = await client.GitLabAsync("Merge Request Hook", body, idempotencyKey: "utf8-1");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await new ReliabilityDb(app.Database.Connections).CountAsync("SELECT count(*) FROM webhook_deliveries")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DeliveryWithANulCharacterInItsTitle_StoredWithAReplacementCharacter(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var body = Payloads.GitHub("github/pull_request.opened.json", "acme/nul", n => n["pull_request"]!["title"] = "fix\u0000cart");

        using var response = await client.GitHubAsync("pull_request", body, "nul-1");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var db = new ReliabilityDb(app.Database.Connections);
        (await db.DrainAsync(TimeSpan.FromSeconds(10))).Should().Be(0, "nothing about it is retried sweep after sweep");
        (await db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = 'nul-1' AND status = 'processed'")).Should().Be(1,
            "PostgreSQL cannot hold NUL in text, so both dialects store it as U+FFFD and the delivery is processed on either");
        (await db.CountAsync("SELECT count(*) FROM pr_outcomes WHERE repo_slug = 'acme/nul' AND title = 'fix\uFFFDcart'")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DeliveriesStoredTogether_OneWithANulCharacter_EveryOneStoredOnEveryDialect(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var bad = Payloads.GitHub("github/pull_request.opened.json", "acme/mixed", n => n["pull_request"]!["title"] = "fix\u0000cart");
        var goods = Enumerable.Range(0, 8).Select(i => Payloads.GitHub("github/pull_request.opened.json", $"acme/mixed-{i}")).ToList();

        var answers = await Task.WhenAll(goods.Select((body, i) => client.GitHubAsync("pull_request", body, $"mixed-{i}"))
            .Append(client.GitHubAsync("pull_request", bad, "mixed-bad")));

        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Accepted);
        var db = new ReliabilityDb(app.Database.Connections);
        (await db.DrainAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        (await db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id LIKE 'mixed-%' AND delivery_id <> 'mixed-bad' AND status = 'processed'")).Should().Be(8);
        (await db.CountAsync("SELECT count(*) FROM pr_outcomes WHERE repo_slug LIKE 'acme/mixed-%'")).Should().Be(8);
        (await db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = 'mixed-bad' AND status = 'processed'")).Should().Be(1,
            "its NUL is stored as U+FFFD on both dialects (PostgreSQL text cannot hold NUL)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DeliveryWithANulCharacterInItsAction_Is400AndDoesNotFailOthers(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var poisoned = Payloads.GitHub("github/pull_request.opened.json", "acme/nul", n => n["action"] = "opened\u0000");
        var good = Payloads.GitHub("github/pull_request.opened.json", "acme/nul");

        var answers = await Task.WhenAll(client.GitHubAsync("pull_request", poisoned, "nul-action"), client.GitHubAsync("pull_request", good, "good-action"));

        answers[0].StatusCode.Should().Be(HttpStatusCode.BadRequest);
        answers[1].StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await new ReliabilityDb(app.Database.Connections).CountAsync("SELECT count(*) FROM webhook_deliveries")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequestNumberBeyond32Bits_Is400OnEveryDialectAndDoesNotFailOthers(string provider)
    {
        // SQLite kept such a number and PostgreSQL's INTEGER column refused it (a failed delivery): no provider issues one.
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var github = Payloads.GitHub("github/pull_request.opened.json", "acme/huge", n =>
        {
            n["number"] = 1L << 40;
            n["pull_request"]!["number"] = 1L << 40;
        });
        var gitlab = Payloads.GitLab("gitlab/merge_request.open.json", "acme/huge-gl", n => n["object_attributes"]!["iid"] = -3);
        var good = Payloads.GitHub("github/pull_request.opened.json", "acme/huge-good");

        var answers = await Task.WhenAll(
            client.GitHubAsync("pull_request", github, "huge-gh"),
            client.GitLabAsync("Merge Request Hook", gitlab, idempotencyKey: "huge-gl"),
            client.GitHubAsync("pull_request", good, "huge-good"));

        answers[0].StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answers[0].Content.ReadAsStringAsync()).Should().Contain("must be a positive integer below 2^31");
        answers[1].StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answers[1].Content.ReadAsStringAsync()).Should().Contain("object_attributes.iid").And.Contain("must be a positive integer below 2^31");
        answers[2].StatusCode.Should().Be(HttpStatusCode.Accepted);
        var db = new ReliabilityDb(app.Database.Connections);
        (await db.DrainAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        (await db.CountAsync("SELECT count(*) FROM pr_outcomes WHERE repo_slug LIKE 'acme/huge%'")).Should().Be(1, "only the good delivery holds a PR");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReviewCommentLineBeyond32Bits_KeepsTheCommentOnNoLine_OnEveryDialect(string provider)
    {
        // Same column type as PR numbers: PostgreSQL's INTEGER refused such a line and the delivery failed.
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var github = Payloads.GitHub("github/pull_request_review_comment.created.json", "acme/far-lines", n =>
        {
            n["comment"]!["line"] = 1L << 40;
            n["comment"]!["original_line"] = -5;
        });
        var gitlab = Payloads.GitLab("gitlab/note.merge_request.json", "acme/far-lines-gl", n =>
            n["object_attributes"]!["position"] = new JsonObject { ["new_path"] = "src/app.rb", ["new_line"] = 1L << 40, ["old_line"] = 12 });

        (await client.GitHubAsync("pull_request_review_comment", github, "far-line-gh")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await client.GitLabAsync("Note Hook", gitlab, idempotencyKey: "far-line-gl")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var db = new ReliabilityDb(app.Database.Connections);
        (await db.DrainAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        (await db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'")).Should().Be(0);
        (await db.CountAsync("SELECT count(*) FROM pr_feedback WHERE repo_slug = 'acme/far-lines' AND line IS NULL")).Should().Be(1, "the comment is kept, on no line");
        (await db.CountAsync("SELECT count(*) FROM pr_feedback WHERE repo_slug = 'acme/far-lines-gl' AND line = 12")).Should().Be(1, "the old side's line is the one in range");
    }

    /// <summary>Stores a PR, CI runs and commits of repositories no mutation can name, through the receivers.</summary>
    private static async Task<IReadOnlyList<string>> SeedAsync(SignedWebhookClient client, ReliabilityDb db)
    {
        var github = "keep-" + Guid.NewGuid().ToString("N")[..12] + "/seeded";
        var gitlab = "keep-" + Guid.NewGuid().ToString("N")[..12] + "/seeded-gl";
        var ci = "keep-" + Guid.NewGuid().ToString("N")[..12] + "/seeded-ci";
        foreach (var fixture in new[] { "github/pull_request.opened.json", "github/workflow_run.completed.json", "github/push.branch-updated.json", "github/check_run.completed.json" })
        {
            var node = Payloads.Node(fixture);
            node["repository"]!["full_name"] = github;
            using var response = await client.GitHubAsync(fixture.Split('/', '.')[1], Payloads.Bytes(node));
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        foreach (var (fixture, hook) in new[] { ("gitlab/merge_request.merge.json", "Merge Request Hook"), ("gitlab/pipeline.success.json", "Pipeline Hook"), ("gitlab/push.branch.json", "Push Hook") })
        {
            using var response = await client.GitLabAsync(hook, Payloads.GitLab(fixture, gitlab), idempotencyKey: Guid.NewGuid().ToString());
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        var body = JsonNode.Parse(WebhookCorpus.CiBody)!;
        body["repo"] = ci;
        body["runId"] = "keep-" + Guid.NewGuid().ToString("N");
        using (var response = await client.CiStandardAsync(Payloads.Bytes(body), Guid.NewGuid().ToString(), DateTimeOffset.UtcNow))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        (await db.DrainAsync(TimeSpan.FromSeconds(20))).Should().Be(0);
        var repos = new[] { RepoSlug.Normalize(github), RepoSlug.Normalize(gitlab), RepoSlug.Normalize(ci) };
        (await db.CountAsync($"SELECT count(*) FROM pr_outcomes WHERE repo_slug IN ({ReliabilityDb.InList(repos.Length)})", ReliabilityDb.InParameters(repos))).Should().Be(2);
        (await db.CountAsync($"SELECT count(*) FROM ci_runs WHERE repo_slug IN ({ReliabilityDb.InList(repos.Length)})", ReliabilityDb.InParameters(repos))).Should().BeGreaterThanOrEqualTo(3);
        (await db.CountAsync($"SELECT count(*) FROM commits WHERE repo_slug IN ({ReliabilityDb.InList(repos.Length)})", ReliabilityDb.InParameters(repos))).Should().BeGreaterThan(0);
        return repos;
    }
}
