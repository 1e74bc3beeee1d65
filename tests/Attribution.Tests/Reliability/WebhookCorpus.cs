using System.Text;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reliability;

/// <summary>One real delivery: which receiver takes it, its event header and its fixture bytes.</summary>
public sealed record WebhookSeed(string Receiver, string Event, string Name, byte[] Body);

/// <summary>Every fixture of tests/Attribution.Tests/Fixtures (github, gitlab) plus a generic CI body, with the event header each needs.</summary>
public static class WebhookCorpus
{
    public static readonly string CiBody =
        """{"provider":"circleci","repo":"fuzz-ci/service","runId":"123","commitSha":"0123456789abcdef0123456789abcdef01234567","status":"success","workflowName":"build","startedAt":"2026-11-01T10:00:00Z","completedAt":"2026-11-01T10:05:00Z","url":"https://ci.example/run/123"}""";

    public static IReadOnlyList<WebhookSeed> All { get; } = Load();

    private static List<WebhookSeed> Load()
    {
        var seeds = new List<WebhookSeed>();
        foreach (var file in Directory.GetFiles(FixtureFiles.Fixture("github"), "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            seeds.Add(new WebhookSeed("github", name[..name.IndexOf('.', StringComparison.Ordinal)], "github/" + name, File.ReadAllBytes(file)));
        }

        foreach (var file in Directory.GetFiles(FixtureFiles.Fixture("gitlab"), "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var hook = name[..name.IndexOf('.', StringComparison.Ordinal)] switch
            {
                "job" => "Job Hook",
                "merge_request" => "Merge Request Hook",
                "note" => "Note Hook",
                "pipeline" => "Pipeline Hook",
                _ => "Push Hook",
            };
            seeds.Add(new WebhookSeed("gitlab", hook, "gitlab/" + name, File.ReadAllBytes(file)));
        }

        seeds.Add(new WebhookSeed("ci-standard", "ci", "ci/standard", Encoding.UTF8.GetBytes(CiBody)));
        seeds.Add(new WebhookSeed("ci-hub", "ci", "ci/hub", Encoding.UTF8.GetBytes(CiBody)));
        return seeds;
    }
}
